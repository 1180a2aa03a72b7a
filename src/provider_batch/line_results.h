// ResolveLines: what the lines of one ended provider batch come to — a result for each line that
// is answered for good (priced at the batch discount), and the lines to send again (expired,
// a retryable answer, missing from the results, or cancelled by sluice for taking too long) as
// long as they have been sent fewer than max_submissions times. Matched by custom_id, never by
// order. Also the packing of pending lines into provider batches. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "batch/records.h"
#include "cost/prices.h"
#include "provider_batch/batch_api.h"
#include "provider_batch/submissions.h"

namespace sluice::provider_batch {

// "i<index>": the custom_id a line carries upstream (the client's may be anything, Anthropic's
// must match ^[a-zA-Z0-9_-]{1,64}$); results are mapped back through it.
std::string UpstreamCustomId(std::int64_t index);

struct LineVerdicts {
  std::vector<batch::ResultRecord> results;
  std::vector<std::int64_t> resend;  // item indices
};

struct ResolveOptions {
  std::int64_t max_submissions = 3;
  std::optional<cost::Prices> prices;  // the model's, already at the batch discount
  // The batch was cancelled: lines that were not executed get neither a result nor another
  // submission (the caller closes them).
  bool batch_cancelled = false;
};

// `items`: the submission's lines still without a result; `times_sent(index)` how often each was
// submitted. `api` decodes the executed answers.
LineVerdicts ResolveLines(const std::vector<batch::LeasedItem>& items,
                          const UpstreamResults& results, const BatchApi& api,
                          const std::map<std::int64_t, std::int64_t>& times_sent,
                          const ResolveOptions& options);

// A submission that produced no results (refused upstream, or its id vanished): every line is
// sent again while it may be (`retryable`), else ends with `code` and `message`.
LineVerdicts ResolveUnanswered(const std::vector<batch::LeasedItem>& items, bool retryable,
                               const std::string& code, const std::string& message,
                               const std::map<std::int64_t, std::int64_t>& times_sent,
                               const ResolveOptions& options);

// Prices scaled by a batch discount (0.5: half price).
cost::Prices Discounted(const cost::Prices& prices, double share);

// How many lines of `sizes` (bytes, estimated tokens; in order) go in each provider batch so
// that none passes `max_lines`, `max_bytes` or (when > 0) `max_tokens`; a line over a limit by
// itself goes alone.
struct LineSize {
  std::int64_t bytes = 0;
  std::int64_t tokens = 0;
};
std::vector<std::size_t> ChunkSizes(const std::vector<LineSize>& sizes, std::int64_t max_lines,
                                    std::int64_t max_bytes, std::int64_t max_tokens);

}  // namespace sluice::provider_batch
