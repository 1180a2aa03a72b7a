// OpenAiBatches: the mock's OpenAI Batch API — POST /v1/batches, GET /v1/batches[/{id}],
// POST /v1/batches/{id}/cancel — over the input files in MockFiles. A batch moves validating →
// in_progress → finalizing → completed (or failed, expired, cancelling → cancelled) as it is
// polled, once its turnaround has passed; its output and error files hold the mock's own answers
// to each line. Faults (BatchFaultOptions) are drawn per batch from the seed.
// Thread-compatible: one owner (MockApi).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "http/message.h"
#include "mock/batches/line_answer.h"
#include "mock/batches/mock_files.h"
#include "mock/mock_options.h"

namespace sluice::mock {

struct BatchLine {
  std::string custom_id;
  std::string body;  // the line's `body`, as JSON text
};

class OpenAiBatches {
 public:
  OpenAiBatches(BatchFaultOptions options, std::uint64_t seed) : options_(options), random_(seed) {}

  struct Context {
    MockFiles& files;
    const LineAnswerer& answer;
    const IdMaker& new_id;
    TimePoint now;
    std::int64_t now_seconds;  // Unix seconds
  };

  // Routes /v1/batches*. `lines_out` (if set) receives the request lines a created batch
  // carries, for the mock's counters.
  http::Response Handle(const http::Request& request, Context context,
                        std::vector<BatchLine>* lines_out);

 private:
  struct Batch;
  http::Response Create(const http::Request& request, Context& context,
                        std::vector<BatchLine>* lines_out);
  http::Response List(const http::Request& request);
  // Moves `batch` on by one poll at `context.now`.
  void Advance(Batch& batch, Context& context);
  // Writes the output and error files; `reason` "" answers every line, else every unanswered
  // line fails with that error code (batch_expired, batch_cancelled).
  void Finish(Batch& batch, Context& context, const std::string& reason);

  BatchFaultOptions options_;
  Random random_;
  std::map<std::string, std::shared_ptr<Batch>> batches_;
  std::vector<std::string> order_;  // ids, oldest first
};

}  // namespace sluice::mock
