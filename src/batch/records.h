// The domain records of a batch: the batch, its items (the durable queue) and one result per
// item. The store persists them; batch/ gives them meaning.
// Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace sluice::batch {

// kDuplicate: shares an earlier item's answer (dedup); never leased, answered with that item.
enum class ItemState { kPending = 0, kLeased = 1, kDone = 2, kDuplicate = 3 };

struct BatchRecord {
  std::string id;
  std::string fingerprint;  // what the batch was made from (e.g. the input file), for resume
  std::string status;       // the lifecycle state's name
  WallTime created_at;
  std::string data;    // the rest of the batch as JSON, owned by batch/
  std::string tenant;  // the owner (a gateway key's name); empty for `sluice run`
};

// An item as ingested, before it is run.
struct NewItem {
  std::int64_t index = 0;  // position in the input, from 0; the order of the output
  std::string custom_id;
  std::string model;
  std::string endpoint;  // "/v1/chat/completions", ...
  std::string body;
  std::int64_t estimated_tokens = 0;
  // The index of the earlier item whose answer this one shares (batch/dedup.h): it is never sent;
  // its result is written with that item's. Unset: it is sent itself.
  std::optional<std::int64_t> duplicate_of = std::nullopt;
};

// A line that waits for a leased item's answer to be its own.
struct Duplicate {
  std::int64_t index = 0;
  std::string custom_id;
};

// An item handed out by LeaseItems.
struct LeasedItem {
  NewItem item;
  int attempt = 1;                    // this lease's attempt number, from 1
  std::vector<Duplicate> duplicates = {};  // the items that share its answer, by index
};

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  std::int64_t cached_tokens = 0;
  std::int64_t reasoning_tokens = 0;

  Usage& operator+=(const Usage& other) {
    prompt_tokens += other.prompt_tokens;
    completion_tokens += other.completion_tokens;
    total_tokens += other.total_tokens;
    cached_tokens += other.cached_tokens;
    reasoning_tokens += other.reasoning_tokens;
    return *this;
  }
};

// The one result of an item: a response (any status) or an error that never reached a response.
struct ResultRecord {
  std::int64_t index = 0;
  std::string custom_id;
  bool success = false;  // a 2xx answer: the output file; otherwise the error file
  int status_code = 0;   // 0 when there was no response
  std::string request_id;
  std::string body;        // the response body JSON, when there was a response
  std::string error_code;  // when there was no response: batch_expired, ...
  std::string error_message;
  Usage usage;
  // The configured model that gave this answer when a fallback did (not the item's own model);
  // empty otherwise.
  std::string model;
  // What the answer cost, from its usage at its model's prices, in billionths of a dollar
  // (integers, so sums are exact); unset when the model has no price. Stored with the result, in
  // the same transaction, so it counts once whatever restarts happen.
  std::optional<std::int64_t> cost_nanousd;
  // A failed result's error code, for counting failures by code: error_code, else the code (or
  // type) in the response's error object, else "http_<status>". Empty for a success.
  std::string failure_code;
  // Set when this result is a copy of another line's answer (dedup): that line's index. The copy
  // shows the answer's usage, which was billed once, to the original: its cost_nanousd is 0 and
  // saved_nanousd what sending it would have cost.
  std::optional<std::int64_t> duplicate_of = std::nullopt;
  std::int64_t saved_nanousd = 0;
};

// What a set of results adds up to.
struct ResultTally {
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  Usage usage;
  std::int64_t cost_nanousd = 0;                 // of the priced results
  std::int64_t unpriced = 0;                     // results of a model without a price
  std::map<std::string, std::int64_t> failures;  // failed results by failure_code
  // Results that were copies of another line's answer (requests dedup did not send), and what
  // sending them would have cost. Their usage is not in `usage`: it was billed once.
  std::int64_t deduplicated = 0;
  std::int64_t saved_nanousd = 0;

  void Add(const ResultRecord& result) {
    ++(result.success ? succeeded : failed);
    if (!result.success) ++failures[result.failure_code];
    if (result.duplicate_of) {
      ++deduplicated;
      saved_nanousd += result.saved_nanousd;
      return;
    }
    usage += result.usage;
    if (result.cost_nanousd) {
      cost_nanousd += *result.cost_nanousd;
    } else {
      ++unpriced;
    }
  }
};

// A batch's queue and results.
struct ItemCounts : ResultTally {
  std::int64_t total = 0;
  std::int64_t pending = 0;
  std::int64_t leased = 0;
};

}  // namespace sluice::batch
