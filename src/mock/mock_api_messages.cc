// MockApi's Anthropic route: POST /v1/messages, answered as Anthropic's Messages API answers —
// x-api-key and anthropic-version checked, RPM/ITPM/OTPM limits with anthropic-ratelimit-*
// headers, prompt caching, errors in Anthropic's shape with a request-id.
#include <fmt/format.h>

#include "mock/anthropic_limiter.h"
#include "mock/body_hash.h"
#include "mock/messages_answer.h"
#include "mock/messages_request.h"
#include "mock/mock_api.h"

namespace sluice::mock {
namespace {

// Anthropic caches nothing shorter than this (Claude Sonnet and Opus; Haiku needs more).
constexpr std::int64_t kMinCacheableTokens = 1024;
constexpr Duration kCacheTtl = std::chrono::minutes(5);  // the default "ephemeral" lifetime

Reply ErrorReply(int status, std::string type, std::string message, std::string_view request_id) {
  Reply reply;
  reply.response = AnthropicErrorResponse(
      {status, std::move(type), std::move(message), std::nullopt, std::nullopt}, request_id);
  return reply;
}

// x-api-key, or (as Anthropic also accepts) Authorization: Bearer.
std::string_view AnthropicKey(const http::Request& request) {
  if (auto key = request.headers.Get("x-api-key")) return *key;
  return BearerToken(request);
}

}  // namespace

MessagesInput MockApi::CacheLookup(const MessagesRequest& r, TimePoint now) {
  MessagesInput in{r.InputTokens(), 0, 0};
  std::int64_t prefix = std::min(r.CacheablePrefixTokens(), r.InputTokens());
  if (prefix < kMinCacheableTokens) return in;
  in.input_tokens -= prefix;
  auto it = prompt_cache_.find(r.cache_key);
  bool hit = it != prompt_cache_.end() && now - it->second < kCacheTtl;
  (hit ? in.cache_read_input_tokens : in.cache_creation_input_tokens) = prefix;
  return in;
}

Reply MockApi::HandleMessages(const http::Request& request, TimePoint now, WallTime wall,
                              const std::string& request_id) {
  std::string_view key = AnthropicKey(request);
  if (options_.required_api_key && key != *options_.required_api_key) {
    ++stats_.unauthorized;
    return ErrorReply(401, "authentication_error",
                      key.empty() ? "x-api-key header is required" : "invalid x-api-key",
                      request_id);
  }
  if (request.method != "POST") {
    ++stats_.rejected;
    Reply reply =
        ErrorReply(405, "invalid_request_error",
                   fmt::format("Method Not Allowed: {} /v1/messages", request.method), request_id);
    reply.response.headers.Set("allow", "POST");
    return reply;
  }
  if (!request.headers.Get("anthropic-version")) {
    ++stats_.rejected;
    return ErrorReply(400, "invalid_request_error", "anthropic-version: header is required",
                      request_id);
  }
  ParsedMessages parsed = ParseMessagesRequest(request.body);
  if (parsed.error) {
    ++stats_.rejected;
    return ErrorReply(parsed.error->status, parsed.error->type, parsed.error->message, request_id);
  }
  const MessagesRequest& r = parsed.request;
  if (std::int64_t window = options_.context_window; window > 0 && r.InputTokens() > window) {
    ++stats_.rejected;
    return ErrorReply(400, "invalid_request_error",
                      fmt::format("prompt is too long: {} tokens > {} maximum", r.InputTokens(),
                                  window),
                      request_id);
  }
  MessagesInput input = CacheLookup(r, now);
  std::int64_t counted = input.input_tokens + input.cache_creation_input_tokens;  // not reads
  AnthropicAdmission admission = anthropic_limiter_.Admit(key, counted, now);
  if (!admission.admitted) {
    ++stats_.rate_limited;
    Reply reply;
    reply.response = AnthropicRateLimitResponse(admission, anthropic_limiter_.Report(key, now),
                                                r.model, wall, request_id);
    return RecordMessages(std::move(reply), now, 0, r);
  }
  FaultKind fault = faults_.Draw();
  Reply reply;
  std::int64_t output_tokens = 0;
  if (fault == FaultKind::kHttp500) {
    reply = ErrorReply(500, "api_error", "Internal server error", request_id);
    reply.delay = latency_.FirstByte();
  } else if (fault == FaultKind::kHttp503) {
    reply = ErrorReply(529, "overloaded_error", "Overloaded", request_id);
    reply.delay = latency_.FirstByte();
  } else {
    if (r.cached_chars > 0) prompt_cache_[r.cache_key] = now;  // written, or its lifetime renewed
    MessagesContext context{
        options_.seed, BodyHash(request.body),        NewId("msg_", 24), NewId("toolu_", 24),
        input,         fault == FaultKind::kMalformed};
    MessagesAnswer answer = BuildMessagesAnswer(r, context, latency_);
    reply = std::move(answer.reply);
    output_tokens = answer.output_tokens;
    anthropic_limiter_.ChargeOutput(key, output_tokens, now);
  }
  reply.fault = fault;
  AddAnthropicLimitHeaders(reply.response.headers, anthropic_limiter_.Report(key, now), wall);
  reply.response.headers.Set("request-id", request_id);
  return RecordMessages(Fault(fault, std::move(reply)), now, counted + output_tokens, r);
}

Reply MockApi::RecordMessages(Reply reply, TimePoint now, std::int64_t charged,
                              const MessagesRequest& request) {
  if (options_.record_requests) {
    bool answered = reply.fault != FaultKind::kReset && reply.fault != FaultKind::kHang;
    requests_.Add(now, reply.delay, answered ? reply.response.status : 0, charged,
                  request.echo_text);
  }
  return reply;
}

}  // namespace sluice::mock
