// MockApi: the mock provider's pure core. Given a request and the time, it decides the whole
// answer — auth, routing, validation, rate limits, fault injection, generated content, latency —
// and keeps the stats. No sockets and no waiting: MockProvider carries the Reply out.
// Thread-compatible: one owner (the provider's io thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/random.h"
#include "http/message.h"
#include "mock/anthropic_limiter.h"
#include "mock/batches/line_answer.h"
#include "mock/batches/message_batches.h"
#include "mock/batches/mock_files.h"
#include "mock/batches/openai_batches.h"
#include "mock/fault_injector.h"
#include "mock/latency_model.h"
#include "mock/messages_answer.h"
#include "mock/messages_request.h"
#include "mock/mock_options.h"
#include "mock/mock_request.h"
#include "mock/mock_stats.h"
#include "mock/prefix_cache.h"
#include "mock/rate_limiter.h"
#include "mock/reply.h"
#include "mock/request_log.h"
#include "mock/trace_log.h"

namespace sluice::mock {

class MockApi {
 public:
  // `options` must be valid (ValidateMockOptions).
  explicit MockApi(MockOptions options);

  // Decides the answer to `request` received at `now` (`wall` gives `created`). Routes:
  // POST /v1/chat/completions, /v1/completions, /v1/embeddings; GET /v1/models[/{id}];
  // POST /v1/messages (Anthropic's API: mock_api_messages.cc); GET /mock/stats;
  // GET /mock/requests (the RequestLog, when recording); GET /mock/traces (the TraceLog);
  // POST /mock/reset (stats and both logs); the batch APIs (mock_api_batches.cc): /v1/files*,
  // /v1/batches* and Anthropic's /v1/messages/batches*. Unknown path: 404; known path, wrong method: 405.
  // Every /v1/ answer carries x-request-id (request-id on /v1/messages, as Anthropic's do), and
  // the request's x-client-request-id back, as OpenAI's do (not on /v1/messages).
  Reply Handle(const http::Request& request, TimePoint now, WallTime wall);

  MockStats Stats() const;
  void ResetStats();

 private:
  Reply HandleV1(const http::Request& request, TimePoint now, WallTime wall);
  Reply HandleGeneration(Endpoint endpoint, const http::Request& request, TimePoint now,
                         WallTime wall);
  Reply Fault(FaultKind fault, Reply answer);
  // Applies `state_limits` to an answer's headers and records it when recording.
  Reply Finish(Reply reply, TimePoint now, std::int64_t charged, const MockRequest& request);
  std::optional<http::ApiError> CheckApiKey(std::string_view bearer) const;
  Reply HandleMessages(const http::Request& request, TimePoint now, WallTime wall,
                       const std::string& request_id);
  // The input side of a Messages answer's usage, from the prompt cache.
  MessagesInput CacheLookup(const MessagesRequest& request, TimePoint now);
  Reply RecordMessages(Reply reply, TimePoint now, std::int64_t charged,
                       const MessagesRequest& request);
  std::string NewId(std::string_view prefix, std::size_t length);
  // The batch APIs (mock_api_batches.cc).
  Reply HandleFilesAndBatches(const http::Request& request, TimePoint now, WallTime wall);
  Reply HandleMessageBatches(const http::Request& request, TimePoint now, WallTime wall,
                             const std::string& request_id);
  // What the real-time route `url` answers to one batch line (no limits, no faults).
  LineAnswer AnswerLine(std::string_view url, std::string_view body, WallTime wall);
  // Counts a created batch's lines in the stats.
  void CountBatchLines(const std::vector<BatchLine>& lines);
  // Records what `request` carried, and the status of `reply`, in the TraceLog.
  void Trace(const http::Request& request, const Reply& reply);

  MockOptions options_;
  RateLimiter limiter_;
  AnthropicLimiter anthropic_limiter_;
  // Anthropic's prompt cache: prefix hash -> when it was last written or read.
  std::unordered_map<std::uint64_t, TimePoint> prompt_cache_;
  FaultInjector faults_;
  LatencyModel latency_;
  Random ids_;
  PrefixCache openai_cache_;  // OpenAI's automatic prompt cache, for chat completions
  MockStats stats_;           // `bodies` stays empty: counts live in body_counts_
  std::unordered_map<std::uint64_t, std::uint64_t> body_counts_;
  RequestLog requests_;
  TraceLog traces_;
  MockFiles files_;
  OpenAiBatches openai_batches_;
  MessageBatches message_batches_;
};

// The bearer token of an Authorization header ("Bearer sk-…" -> "sk-…"); empty when absent.
std::string_view BearerToken(const http::Request& request);

// "sk-abc…wxyz" masked the way OpenAI echoes it in 401 messages: the first 3 and last 4
// characters kept, the rest as '*'.
std::string MaskApiKey(std::string_view key);

}  // namespace sluice::mock
