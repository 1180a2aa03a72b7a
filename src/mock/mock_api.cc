#include "mock/mock_api.h"

#include <fmt/format.h>

#include "mock/answer_builder.h"
#include "mock/body_hash.h"
#include "mock/indent_json.h"
#include "mock/rate_limit_reply.h"
#include "mock/response_json.h"

namespace sluice::mock {
namespace {

constexpr std::string_view kModelsPrefix = "/v1/models/";

Reply Respond(http::Response response) {
  Reply reply;
  reply.response = std::move(response);
  return reply;
}

Reply Error(int status, std::string message, std::optional<std::string> code = std::nullopt) {
  std::string type = status >= 500 ? "server_error" : "invalid_request_error";
  return Respond(http::ErrorResponse(
      {status, std::move(type), std::move(message), std::move(code), std::nullopt}));
}

// OpenAI's 400 for a chat request that does not fit the model's context window, worded as the
// API words it; nullopt when it fits (or there is no window, or it is not a chat request).
std::optional<http::ApiError> ContextLengthError(const MockRequest& r, std::int64_t window) {
  if (window <= 0 || r.endpoint != Endpoint::kChatCompletions) return std::nullopt;
  std::int64_t prompt = r.PromptTokens();
  std::string message;
  if (r.max_tokens && prompt + *r.max_tokens > window) {
    message = fmt::format(
        "This model's maximum context length is {} tokens. However, you requested {} tokens ({} "
        "in the messages, {} in the completion). Please reduce the length of the messages or "
        "completion.",
        window, prompt + *r.max_tokens, prompt, *r.max_tokens);
  } else if (prompt > window) {
    message = fmt::format(
        "This model's maximum context length is {} tokens. However, your messages resulted in {} "
        "tokens. Please reduce the length of the messages.",
        window, prompt);
  } else {
    return std::nullopt;
  }
  return http::ApiError{400, "invalid_request_error", std::move(message),
                        "context_length_exceeded", "messages"};
}

Reply NotFound(const http::Request& r) {
  return Error(404, fmt::format("Invalid URL ({} {})", r.method, r.Path()));
}

Reply WrongMethod(const http::Request& r, std::string_view allowed) {
  Reply reply = Error(
      405, fmt::format("Invalid method for URL ({} {}); use {}.", r.method, r.Path(), allowed));
  reply.response.headers.Set("allow", std::string(allowed));
  return reply;
}

}  // namespace

std::string_view BearerToken(const http::Request& request) {
  std::optional<std::string_view> auth = request.headers.Get("authorization");
  if (!auth) return {};
  std::string_view v = *auth;
  if (v.size() < 7 || (v.substr(0, 7) != "Bearer " && v.substr(0, 7) != "bearer ")) return {};
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

std::string MaskApiKey(std::string_view key) {
  if (key.size() <= 7) return std::string(key.size(), '*');
  std::string out(key.substr(0, 3));
  out.append(key.size() - 7, '*');
  out += key.substr(key.size() - 4);
  return out;
}

MockApi::MockApi(MockOptions options)
    : options_(std::move(options)),
      limiter_(options_.rpm, options_.tpm),
      anthropic_limiter_(options_.rpm, options_.itpm, options_.otpm),
      faults_(options_.faults, MixHash(options_.seed, 1)),
      latency_(options_.time_to_first_byte, options_.time_per_output_token, options_.latency_jitter,
               MixHash(options_.seed, 2)),
      ids_(MixHash(options_.seed, 3)),
      openai_cache_(options_.prompt_cache_ttl,
                    static_cast<std::size_t>(options_.prompt_cache_blocks)),
      openai_batches_(options_.batches, MixHash(options_.seed, 4)),
      message_batches_(options_.batches, MixHash(options_.seed, 5)) {}

std::string MockApi::NewId(std::string_view prefix, std::size_t length) {
  static constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string id(prefix);
  for (std::size_t i = 0; i < length; ++i) id += kChars[ids_.Next() % kChars.size()];
  return id;
}

Reply MockApi::Handle(const http::Request& request, TimePoint now, WallTime wall) {
  std::string_view path = request.Path();
  Reply reply;
  if (path == "/mock/stats") {
    reply = request.method == "GET" ? Respond(http::JsonResponse(200, Stats().ToJson()))
                                    : WrongMethod(request, "GET");
  } else if (path == "/mock/requests") {
    if (request.method == "GET") {
      reply = Respond({200, {}, requests_.ToTsv()});
      reply.response.headers.Set("content-type", "text/tab-separated-values");
    } else {
      reply = WrongMethod(request, "GET");
    }
  } else if (path == "/mock/traces") {
    reply = request.method == "GET" ? Respond(http::JsonResponse(200, traces_.ToJson()))
                                    : WrongMethod(request, "GET");
  } else if (path == "/mock/reset") {
    if (request.method == "POST") ResetStats();
    reply = request.method == "POST" ? Respond(http::JsonResponse(200, "{\"reset\":true}"))
                                     : WrongMethod(request, "POST");
  } else if (path == "/v1/messages/batches" || path.starts_with("/v1/messages/batches/")) {
    ++stats_.received;
    reply = HandleMessageBatches(request, now, wall, NewId("req_", 24));
    Trace(request, reply);
    return reply;
  } else if (path == "/v1/messages") {
    ++stats_.received;
    if (!request.body.empty()) ++body_counts_[BodyHash(request.body)];
    // Compact, with request-id; Anthropic's answers echo no client request id.
    reply = HandleMessages(request, now, wall, NewId("req_", 24));
    Trace(request, reply);
    return reply;
  } else if (path.starts_with("/v1/")) {
    reply = HandleV1(request, now, wall);
  } else {
    reply = NotFound(request);
  }
  // OpenAI's routes answer as OpenAI does; the mock's own (/mock/stats) stay one line for the
  // scripts that read them.
  if (options_.indent_json && path.starts_with("/v1/") && !reply.stream &&
      reply.fault != FaultKind::kMalformed &&
      reply.response.headers.Get("content-type").value_or("").starts_with("application/json")) {
    reply.response.body = IndentJson(reply.response.body);
  }
  reply.response.headers.Add("x-request-id", NewId("req_", 32));
  if (path.starts_with("/v1/")) {
    // OpenAI hands the client's own id back beside its own.
    if (auto client_id = request.headers.Get("x-client-request-id")) {
      reply.response.headers.Set("x-client-request-id", std::string(*client_id));
    }
    Trace(request, reply);
  }
  return reply;
}

void MockApi::Trace(const http::Request& request, const Reply& reply) {
  bool answered = reply.fault != FaultKind::kReset && reply.fault != FaultKind::kHang;
  traces_.Add(std::string(request.Path()), request.headers, answered ? reply.response.status : 0);
}

std::optional<http::ApiError> MockApi::CheckApiKey(std::string_view bearer) const {
  if (!options_.required_api_key || bearer == *options_.required_api_key) return std::nullopt;
  http::ApiError e{401, "invalid_request_error", "", "invalid_api_key", std::nullopt};
  e.message = bearer.empty()
                  ? "You didn't provide an API key. You need to provide your API key in an "
                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                  : fmt::format(
                        "Incorrect API key provided: {}. You can find your API key at "
                        "https://platform.openai.com/account/api-keys.",
                        MaskApiKey(bearer));
  return e;
}

Reply MockApi::HandleV1(const http::Request& request, TimePoint now, WallTime wall) {
  ++stats_.received;
  if (!request.body.empty()) ++body_counts_[BodyHash(request.body)];
  if (auto error = CheckApiKey(BearerToken(request))) {
    ++stats_.unauthorized;
    return Respond(http::ErrorResponse(*error));
  }
  std::string_view path = request.Path();
  Reply reply;
  if (auto endpoint = EndpointOfPath(path)) {
    if (request.method == "POST") return HandleGeneration(*endpoint, request, now, wall);
    reply = WrongMethod(request, "POST");
  } else if (path == "/v1/files" || path.starts_with("/v1/files/") || path == "/v1/batches" ||
             path.starts_with("/v1/batches/")) {
    return HandleFilesAndBatches(request, now, wall);
  } else if (path == "/v1/models" || path.starts_with(kModelsPrefix)) {
    std::string_view id =
        path.size() > kModelsPrefix.size() ? path.substr(kModelsPrefix.size()) : std::string_view();
    if (request.method != "GET") {
      reply = WrongMethod(request, "GET");
    } else {
      ++stats_.answered;
      return Respond(http::JsonResponse(200, id.empty() ? ModelsJson() : ModelJson(id)));
    }
  } else {
    reply = NotFound(request);
  }
  ++stats_.rejected;
  return reply;
}

Reply MockApi::HandleGeneration(Endpoint endpoint, const http::Request& request, TimePoint now,
                                WallTime wall) {
  ParsedRequest parsed = ParseMockRequest(endpoint, request.body);
  if (parsed.error) {
    ++stats_.rejected;
    return Respond(http::ErrorResponse(*parsed.error));
  }
  MockRequest& r = parsed.request;
  if (auto too_long = ContextLengthError(r, options_.context_window)) {
    ++stats_.rejected;
    return Finish(Respond(http::ErrorResponse(*too_long)), now, 0, r);
  }
  Admission admission =
      limiter_.Admit(BearerToken(request), r.AdmissionCost(options_.default_max_tokens), now);
  if (!admission.admitted) {
    ++stats_.rate_limited;
    return Finish(Respond(RateLimitResponse(admission, r.model)), now, 0, r);
  }
  FaultKind fault = faults_.Draw();
  Reply reply;
  if (fault == FaultKind::kHttp500 || fault == FaultKind::kHttp503) {
    reply = fault == FaultKind::kHttp500
                ? Error(500,
                        "The server had an error while processing your request. Sorry about "
                        "that!")
                : Error(503, "The engine is currently overloaded, please try again later.");
    reply.delay = latency_.FirstByte();
  } else {
    r.cached_tokens = openai_cache_.Use(r.prefix_blocks, now);
    stats_.cached_tokens += r.cached_tokens;
    std::string_view prefix = endpoint == Endpoint::kCompletions ? "cmpl-" : "chatcmpl-";
    AnswerContext context{
        options_.seed,
        BodyHash(request.body),
        NewId(prefix, 29),
        std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count(),
        options_.embedding_dimensions,
        fault == FaultKind::kMalformed};
    reply = BuildAnswer(r, context, latency_);
  }
  reply.fault = fault;
  AddRateLimitHeaders(reply.response.headers, admission);
  return Finish(Fault(fault, std::move(reply)), now, r.AdmissionCost(options_.default_max_tokens),
                r);
}

Reply MockApi::Finish(Reply reply, TimePoint now, std::int64_t charged,
                      const MockRequest& request) {
  if (!options_.state_limits) {
    reply.response.headers.Remove("x-ratelimit-limit-requests");
    reply.response.headers.Remove("x-ratelimit-limit-tokens");
  }
  if (options_.record_requests) {
    bool answered = reply.fault != FaultKind::kReset && reply.fault != FaultKind::kHang;
    requests_.Add(now, reply.delay, answered ? reply.response.status : 0, charged,
                  request.echo_text);
  }
  return reply;
}

Reply MockApi::Fault(FaultKind fault, Reply reply) {
  switch (fault) {
    case FaultKind::kNone:
      ++stats_.answered;
      break;
    case FaultKind::kHttp500:
      ++stats_.faults.http_500;
      break;
    case FaultKind::kHttp503:
      ++stats_.faults.http_503;
      break;
    case FaultKind::kReset:
      ++stats_.faults.reset;
      break;
    case FaultKind::kHang:
      ++stats_.faults.hang;
      break;
    case FaultKind::kMalformed:
      ++stats_.faults.malformed;
      break;
  }
  return reply;
}

MockStats MockApi::Stats() const {
  MockStats out = stats_;
  for (const auto& [hash, count] : body_counts_) out.bodies.emplace(HashHex(hash), count);
  return out;
}

void MockApi::ResetStats() {
  stats_ = MockStats();
  body_counts_.clear();
  requests_.Clear();
  traces_.Clear();
}

}  // namespace sluice::mock
