// IngestFile: streams a JSONL batch input file line by line, validates every line, estimates its
// tokens and hands valid items to a sink in chunks (the store), so memory holds one chunk, not the
// file. Invalid lines are reported as OpenAI BatchErrors. Used for both a real ingest and a dry run
// (no sink). Blocking: run it off the event loop. Thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "batch/dedup.h"
#include "batch/records.h"
#include "batch/request_line.h"
#include "common/result.h"
#include "tokens/request_estimate.h"

namespace sluice::batch {

struct IngestOptions {
  std::size_t max_line_bytes = 8 * 1024 * 1024;  // a longer line is invalid (line_too_large)
  std::size_t chunk_items = 1000;                // items per sink call
  std::size_t max_kept_errors = 100;             // errors kept for the report; all are counted
  LineRules rules;
  tokens::EstimateOptions estimate;
  // Which lines may share an identical earlier line's answer (docs/config.md, "Dedup").
  DedupMode dedup = DedupMode::kAuto;
};

struct RequestTotals {
  std::int64_t requests = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t max_output_tokens = 0;  // n × output cap, summed
  std::int64_t exact_prompts = 0;      // requests whose prompt was counted exactly
};

struct IngestReport {
  RequestTotals totals;                           // every valid line
  std::map<std::string, RequestTotals> by_model;  // the same, per body.model
  std::int64_t invalid = 0;                       // invalid lines
  std::int64_t duplicates = 0;    // valid lines that share an earlier line's answer (not sent)
  std::vector<LineError> errors;  // the first max_kept_errors
};

struct IngestSinks {
  // Receives valid items in input order, chunk by chunk; an error stops the ingest.
  std::function<Status(std::vector<NewItem>)> items;
  // Receives every invalid line (all of them, not only the kept ones); may be unset.
  std::function<Status(const LineError&)> errors;
};

// Reads `path` to its end. A line that is a duplicate under options.dedup names the first line
// of its kind in NewItem::duplicate_of; repeated over the same file, the same lines are marked.
// Item indexes are 0-based line positions, so output in index order is input order. kNotFound /
// kPermissionDenied for an unreadable file, kDataLoss for a read error, or the sink's error.
Result<IngestReport> IngestFile(const std::string& path, const IngestOptions& options,
                                const IngestSinks& sinks);

}  // namespace sluice::batch
