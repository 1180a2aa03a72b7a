// MessageBatches: the mock's Anthropic Message Batches API — POST /v1/messages/batches,
// GET /v1/messages/batches[/{id}], GET …/{id}/results (JSONL), POST …/{id}/cancel. A batch is
// in_progress (or canceling) until its turnaround has passed and it has been polled enough, then
// ended with one result per request (succeeded / errored / canceled / expired), each the mock's
// own /v1/messages answer. Faults (BatchFaultOptions) are drawn per batch from the seed.
// Thread-compatible: one owner (MockApi).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "http/message.h"
#include "mock/batches/line_answer.h"
#include "mock/batches/openai_batches.h"
#include "mock/mock_options.h"

namespace sluice::mock {

class MessageBatches {
 public:
  MessageBatches(BatchFaultOptions options, std::uint64_t seed)
      : options_(options), random_(seed) {}

  struct Context {
    const LineAnswerer& answer;
    const IdMaker& new_id;
    TimePoint now;
    WallTime wall;
    std::string origin;  // "http://host:port", for results_url
  };

  // Routes /v1/messages/batches*; errors in Anthropic's shape carry `request_id`. `lines_out`
  // (if set) receives the requests a created batch carries.
  http::Response Handle(const http::Request& request, const Context& context,
                        const std::string& request_id, std::vector<BatchLine>* lines_out);

 private:
  struct Batch;
  http::Response Create(const http::Request& request, const Context& context,
                        const std::string& request_id, std::vector<BatchLine>* lines_out);
  void Advance(Batch& batch, const Context& context);
  void End(Batch& batch, const Context& context, const std::string& reason);

  BatchFaultOptions options_;
  Random random_;
  std::map<std::string, std::shared_ptr<Batch>> batches_;
  std::vector<std::string> order_;
};

// Wall time as RFC 3339 with microseconds ("2024-09-24T18:37:24.100435Z"), as Anthropic writes.
std::string Rfc3339(WallTime time);

}  // namespace sluice::mock
