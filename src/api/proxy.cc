#include "api/proxy.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <cmath>

#include "api/errors.h"
#include "api/messages_request.h"
#include "common/go_duration.h"
#include "common/ids.h"
#include "http/offload.h"
#include "http/sleep.h"
#include "http/sse.h"
#include "providers/fallback_class_of.h"

namespace sluice::api {
namespace asio = boost::asio;

// The answer one model gave (unsent; nullopt once a stream has begun), and its fallback class.
struct Proxy::Served {
  std::optional<http::Response> response;
  std::optional<FallbackClass> fallback;
};

namespace {

constexpr std::size_t kMaxErrorBody = 1024 * 1024;  // an upstream error answer read whole

http::Response Error(int status, std::string type, std::string message,
                     std::optional<std::string> code = std::nullopt,
                     std::optional<std::string> param = std::nullopt) {
  return WithRequestId(http::ErrorResponse(
      {status, std::move(type), std::move(message), std::move(code), std::move(param)}));
}

// The request to the OpenAI `endpoint` as a Call, or the error response for it.
std::variant<Proxy::Call*, http::Response> Parse(const http::Request& request, std::string endpoint,
                                                 Proxy::Call& call) {
  auto type = request.headers.Get("content-type");
  if (!type || type->substr(0, type->find(';')) != "application/json") return NotJson();
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return NotJson();
  const boost::json::object& body = parsed.get_object();
  const boost::json::value* model = body.if_contains("model");
  if (model == nullptr || !model->is_string() || model->get_string().empty()) {
    return InvalidRequest(400, "you must provide a model parameter", "model");
  }
  call.model = model->get_string();
  const boost::json::value* stream = body.if_contains("stream");
  call.stream = stream != nullptr && stream->is_bool() && stream->get_bool();
  if (call.stream && endpoint == "/v1/embeddings") {
    return InvalidRequest(400, "embeddings cannot be streamed", "stream");
  }
  call.estimate_endpoint = endpoint;
  call.estimate_body = request.body;
  call.request = MakeOpenAiRequest(std::move(endpoint), request.body);
  return &call;
}

http::Response NoSuchModel(const std::string& model) {
  return InvalidRequest(
      404, fmt::format("The model `{}` does not exist or you do not have access to it.", model),
      std::nullopt, "model_not_found");
}

// The 503 for a request of a model whose every deployment is failing (each breaker open): nothing
// is sent upstream; the client's SDK retries a 503 with backoff.
http::Response AllDeploymentsFailing(const std::string& model) {
  return Error(503, "server_error",
               fmt::format("Every deployment of model `{}` is failing; the gateway sends it no "
                           "requests until one recovers. Please try again shortly.",
                           model),
               "service_unavailable");
}

// The 429 for a key whose budget is spent, as OpenAI answers an account out of quota (type and
// code insufficient_quota); x-should-retry: false tells the SDKs not to retry it.
http::Response InsufficientQuota(const std::string& tenant, const std::string& why) {
  http::Response response =
      Error(429, "insufficient_quota",
            fmt::format("You exceeded your current quota: gateway key '{}': {}.", tenant, why),
            "insufficient_quota");
  response.headers.Set("x-should-retry", "false");
  return response;
}

// The 429 for a request that found no room in time, with the headers every SDK honours.
http::Response NoCapacity(scheduler::Dispatcher& dispatcher, const Proxy::Call& call,
                          TimePoint now) {
  Duration retry_after = dispatcher.RetryAfter(call.model, call.tenant, call.tokens);
  retry_after =
      std::clamp<Duration>(retry_after, std::chrono::milliseconds(1), std::chrono::seconds(60));
  std::int64_t ms = CeilMilliseconds(retry_after);
  http::Response response =
      Error(429, "requests",
            fmt::format("Rate limit reached for {}: the gateway's deployments have no capacity "
                        "for {} tokens now. Please try again in {}.",
                        call.model, call.tokens, FormatGoDuration(retry_after)),
            "rate_limit_exceeded");
  response.headers.Set("retry-after-ms", std::to_string(ms));
  response.headers.Set("retry-after", std::to_string((ms + 999) / 1000));
  double limit_requests = 0, limit_tokens = 0, requests = 0, tokens = 0;
  const auto& targets = dispatcher.targets();
  const scheduler::Planner& planner = dispatcher.planner();
  for (std::size_t d = 0; d < targets.size(); ++d) {
    if (targets[d].model != call.model) continue;
    const auto& limiter = planner.limiter(static_cast<int>(d));
    limit_requests += static_cast<double>(limiter.options().rpm);
    limit_tokens += static_cast<double>(limiter.options().tpm);
    requests += std::max(0.0, limiter.AvailableRequests(now).value_or(0));
    tokens += std::max(0.0, limiter.AvailableTokens(now).value_or(0));
  }
  auto reset = [](double limit, double available) {
    if (limit <= 0) return std::string("0s");
    return FormatGoDuration(std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(60.0 * (limit - available) / limit)));
  };
  response.headers.Set("x-ratelimit-limit-requests", fmt::format("{:.0f}", limit_requests));
  response.headers.Set("x-ratelimit-remaining-requests", fmt::format("{:.0f}", requests));
  response.headers.Set("x-ratelimit-reset-requests", reset(limit_requests, requests));
  response.headers.Set("x-ratelimit-limit-tokens", fmt::format("{:.0f}", limit_tokens));
  response.headers.Set("x-ratelimit-remaining-tokens", fmt::format("{:.0f}", tokens));
  response.headers.Set("x-ratelimit-reset-tokens", reset(limit_tokens, tokens));
  return response;
}

// The upstream's headers a client acts on: when to retry, and (for a 429) the limits behind it.
void CopyRetryHeaders(const http::Response& from, http::Response& to) {
  for (const http::Headers::Field& field : from.headers) {
    bool limits =
        from.status == 429 &&
        ((field.name.size() > 12 && boost::algorithm::istarts_with(field.name, "x-ratelimit-")) ||
         boost::algorithm::istarts_with(field.name, "anthropic-ratelimit-"));
    if (limits || boost::algorithm::iequals(field.name, "retry-after") ||
        boost::algorithm::iequals(field.name, "retry-after-ms") ||
        boost::algorithm::iequals(field.name, "x-should-retry")) {
      to.headers.Add(boost::algorithm::to_lower_copy(field.name), field.value);
    }
  }
}

// What the client gets for an upstream answer (as it came) or for no answer at all. An answer
// refusing sluice's own credentials is the gateway's fault: a 502 that says so, never a 401 the
// client would take for its gateway key.
http::Response Relay(const Result<http::Response>& answer, const providers::Outcome& outcome,
                     const ProxyRequest& request) {
  if (!answer.ok()) {
    bool timeout = answer.status().code() == StatusCode::kDeadlineExceeded;
    return Error(
        timeout ? 504 : 502, "server_error",
        fmt::format("The upstream provider did not answer: {}", answer.status().message()));
  }
  if (providers::RejectsCredentials(answer->status)) {
    return Error(502, "server_error", outcome.status.message(), "upstream_credentials_rejected");
  }
  if (answer->status / 100 == 2 && outcome.verdict != providers::Verdict::kSuccess) {
    // A success that could not be read (a body that is not JSON), still so after the retries.
    return Error(502, "server_error",
                 "The upstream provider's answer was damaged: " + outcome.status.message());
  }
  http::Response response;
  response.status = request.ClientStatus(answer->status);
  response.body = outcome.body;  // in the client's shape, translated where the provider's differs
  for (std::string_view name :
       {"content-type", "x-request-id", "request-id", "openai-processing-ms"}) {
    if (auto value = answer->headers.Get(name)) {
      response.headers.Set(std::string(name), std::string(*value));
    }
  }
  if (!response.headers.Get("x-request-id") && !outcome.request_id.empty()) {
    response.headers.Set("x-request-id", outcome.request_id);
  }
  CopyRetryHeaders(*answer, response);
  if (!response.headers.Get("content-type")) {
    response.headers.Set("content-type", "application/json");
  }
  return WithRequestId(std::move(response));
}

// The answer `model` gave, naming it.
http::Response From(const std::string& model, http::Response response) {
  response.headers.Set("x-sluice-model", model);
  return response;
}

// The 429 for no room for the request (in time, or now when it has a rate_limited fallback).
Proxy::Served NoRoom(scheduler::Dispatcher& dispatcher, const Proxy::Call& call, TimePoint now) {
  return {From(call.model, NoCapacity(dispatcher, call, now)), FallbackClass::kRateLimited};
}

// The answer to an admission that failed, and its fallback class: none for an unknown model,
// unavailable when every deployment is failing, rate_limited when none had room in time.
Proxy::Served NotAdmitted(scheduler::Dispatcher& dispatcher, const Proxy::Call& call,
                          const Status& refused, TimePoint now) {
  if (refused.code() == StatusCode::kNotFound) return {NoSuchModel(call.model), std::nullopt};
  if (refused.code() == StatusCode::kUnavailable) {
    return {From(call.model, AllDeploymentsFailing(call.model)), FallbackClass::kUnavailable};
  }
  return NoRoom(dispatcher, call, now);
}

// A model with a rate_limited fallback makes no request wait: when none of its deployments has
// room for it at once, the fallback is tried. Without room for the tenant itself (its quota
// spans every model) a fallback would not help, so the request waits as usual.
bool NoRoomNow(const scheduler::Dispatcher& dispatcher, const Proxy::Call& call, TimePoint now) {
  if (!dispatcher.fallbacks().Next(call.tried, FallbackClass::kRateLimited)) return false;
  const scheduler::Planner& planner = dispatcher.planner();
  if (planner.WhenTenantAdmits(call.tenant, call.tokens, now) > now) return false;
  const auto& targets = dispatcher.targets();
  for (std::size_t d = 0; d < targets.size(); ++d) {
    if (targets[d].model != call.model) continue;
    const auto& limiter = planner.limiter(static_cast<int>(d));
    if (limiter.HasFreeSlot() && limiter.WhenAdmissible(call.tokens, now) <= now) return false;
  }
  return true;
}

// The 400 for a request the deployment's provider cannot honour, naming the parameter.
http::Response Refused(const providers::Refusal& refusal) {
  return InvalidRequest(400, refusal.message, refusal.param);
}

}  // namespace

Proxy::Proxy(scheduler::Dispatcher& dispatcher, http::Client& client, Clock& clock,
             ProxyOptions options)
    : dispatcher_(dispatcher), client_(client), clock_(clock), options_(options) {}

asio::awaitable<void> Proxy::Handle(http::Exchange& exchange, std::string tenant,
                                    http::RequestTrace trace) {
  Call call;
  call.tenant = std::move(tenant);
  call.trace = std::move(trace);
  auto parsed = Parse(exchange.request(), std::string(exchange.request().Path()), call);
  if (auto* error = std::get_if<http::Response>(&parsed)) {
    http::Response response = std::move(*error);
    co_await exchange.Respond(std::move(response));
    co_return;
  }
  co_await Serve(exchange, call);
}

asio::awaitable<void> Proxy::HandleMessages(http::Exchange& exchange, std::string tenant,
                                            http::RequestTrace trace) {
  Call call;
  call.tenant = std::move(tenant);
  call.trace = std::move(trace);
  if (std::optional<http::Response> error = ParseMessagesCall(exchange.request(), call)) {
    http::Response response = std::move(*error);
    co_await exchange.Respond(std::move(response));
    co_return;
  }
  co_await Serve(exchange, call);
}

asio::awaitable<void> Proxy::Serve(http::Exchange& exchange, Call& call) {
  if (std::optional<std::string> spent = dispatcher_.KeyBudgetExhausted(call.tenant)) {
    http::Response refused = InsufficientQuota(call.tenant, *spent);
    co_await exchange.Respond(std::move(refused));
    co_return;
  }
  // Counting is CPU work: a large body is counted off the event loop.
  Result<tokens::RequestEstimate> estimated;
  if (call.estimate_body.size() < options_.inline_estimate_bytes) {
    estimated =
        tokens::EstimateRequest(call.estimate_endpoint, call.estimate_body, options_.estimate);
  } else {
    auto count = [&call, estimate = options_.estimate] {
      return tokens::EstimateRequest(call.estimate_endpoint, call.estimate_body, estimate);
    };
    auto here = co_await asio::this_coro::executor;
    estimated = co_await http::Offload<Result<tokens::RequestEstimate>>(
        options_.counting_executor, here, count);
  }
  if (!estimated.ok()) {
    http::Response refused = InvalidRequest(400, estimated.status().message());
    co_await exchange.Respond(std::move(refused));
    co_return;
  }
  call.tokens = estimated->total();
  call.tried = {call.model};
  while (true) {
    Served served;  // not `stream ? co_await … : co_await …`: g++ 12 frees that twice
    if (call.stream) {
      served = co_await Stream(exchange, call);
    } else {
      served = co_await Send(call);
    }
    if (!served.response) co_return;  // streamed
    std::optional<std::string> next;
    if (served.fallback) next = dispatcher_.fallbacks().Next(call.tried, *served.fallback);
    if (!next) {
      http::Response response = std::move(*served.response);
      co_await exchange.Respond(std::move(response));
      co_return;
    }
    call.model = *next;
    call.tried.push_back(*next);
  }
}

asio::awaitable<Proxy::Served> Proxy::Send(Call& call) {
  if (NoRoomNow(dispatcher_, call, clock_.Now())) co_return NoRoom(dispatcher_, call, clock_.Now());
  for (int attempt = 1;; ++attempt) {
    auto admission =
        co_await dispatcher_.Admit(call.model, call.tenant, call.tokens, options_.max_wait);
    if (!admission.ok()) co_return NotAdmitted(dispatcher_, call, admission.status(), clock_.Now());
    providers::Encoded encoded = call.request->Encode(*admission->provider);
    if (auto* refused = std::get_if<providers::Refusal>(&encoded)) {
      dispatcher_.Complete(*admission, providers::RefusedOutcome(*refused));
      co_return Served{From(call.model, Refused(*refused)), std::nullopt};
    }
    http::ClientRequest& request = std::get<http::ClientRequest>(encoded);
    request.total_timeout = admission->timeout;
    std::string traceparent = http::StampUpstreamAttempt(call.trace, request.headers);
    Result<http::Response> answer = co_await client_.Send(std::move(request));
    providers::Outcome outcome = call.request->Decode(*admission->provider, answer);
    LogAttempt(call, *admission, attempt, traceparent, outcome);
    dispatcher_.Complete(*admission, outcome);
    if (outcome.verdict == providers::Verdict::kRetry) {
      TimePoint now = clock_.Now();
      auto next =
          dispatcher_.retry_policy().NextAttempt(attempt, outcome.retry_after, now, random_);
      if (next && *next - now <= options_.max_wait) {
        dispatcher_.CountRetry(admission->deployment);
        co_await http::SleepUntil(clock_, *next);
        continue;
      }
    }
    co_return Served{From(call.model, Relay(answer, outcome, *call.request)),
                     providers::FallbackClassOf(outcome)};
  }
}

asio::awaitable<Proxy::Served> Proxy::Stream(http::Exchange& exchange, Call& call) {
  if (NoRoomNow(dispatcher_, call, clock_.Now())) co_return NoRoom(dispatcher_, call, clock_.Now());
  for (int attempt = 1;; ++attempt) {
    auto admission =
        co_await dispatcher_.Admit(call.model, call.tenant, call.tokens, options_.max_wait);
    if (!admission.ok()) co_return NotAdmitted(dispatcher_, call, admission.status(), clock_.Now());
    providers::Encoded encoded = call.request->Encode(*admission->provider);
    if (auto* refused = std::get_if<providers::Refusal>(&encoded)) {
      dispatcher_.Complete(*admission, providers::RefusedOutcome(*refused));
      co_return Served{From(call.model, Refused(*refused)), std::nullopt};
    }
    http::ClientRequest& request = std::get<http::ClientRequest>(encoded);
    request.total_timeout = admission->timeout;
    request.stream_idle_timeout = options_.stream_idle_timeout;
    std::string traceparent = http::StampUpstreamAttempt(call.trace, request.headers);
    auto opened = co_await client_.Open(std::move(request));
    if (!opened.ok() || (*opened)->status() / 100 != 2) {
      // Not a stream to pass through: the answer read whole, as a non-streamed one.
      Result<http::Response> head = opened.status();
      if (opened.ok()) {
        http::Response error{(*opened)->status(), (*opened)->headers(), ""};
        while (error.body.size() < kMaxErrorBody) {
          auto piece = co_await (*opened)->Next();
          if (!piece.ok() || !piece->has_value()) break;
          error.body += **piece;
        }
        head = std::move(error);
      }
      providers::Outcome outcome = call.request->Decode(*admission->provider, head);
      LogAttempt(call, *admission, attempt, traceparent, outcome);
      dispatcher_.Complete(*admission, outcome);
      TimePoint now = clock_.Now();
      auto next =
          outcome.verdict == providers::Verdict::kRetry
              ? dispatcher_.retry_policy().NextAttempt(attempt, outcome.retry_after, now, random_)
              : std::nullopt;
      if (next && *next - now <= options_.max_wait) {
        dispatcher_.CountRetry(admission->deployment);
        co_await http::SleepUntil(clock_, *next);
        continue;
      }
      co_return Served{From(call.model, Relay(head, outcome, *call.request)),
                       providers::FallbackClassOf(outcome)};
    }

    http::ResponseStream& upstream = **opened;
    http::Headers headers;
    headers.Set("content-type", "text/event-stream");
    headers.Set("cache-control", "no-cache");
    auto request_id = upstream.headers().Get("x-request-id");
    if (!request_id) request_id = upstream.headers().Get("request-id");  // Anthropic's name
    headers.Set("x-request-id", request_id ? std::string(*request_id) : NewId("req_"));
    headers.Set("x-sluice-model", call.model);
    std::unique_ptr<providers::StreamDecoder> decoder =
        call.request->DecodeStream(*admission->provider, upstream.status(), upstream.headers());
    Status sent = co_await exchange.BeginStream(200, std::move(headers));
    Status ended = OkStatus();
    while (sent.ok()) {
      auto piece = co_await upstream.Next();
      if (!piece.ok()) {  // cut mid-stream: tell the client as its SDKs expect
        ended = piece.status();
        std::string error =
            call.request->StreamError("The upstream stream was interrupted: " + ended.message());
        sent = co_await exchange.WriteChunk(error);
        break;
      }
      if (!piece->has_value()) break;
      std::string relayed = decoder->Feed(**piece);
      if (!relayed.empty()) sent = co_await exchange.WriteChunk(relayed);
    }
    providers::Outcome outcome = decoder->Finish(ended);
    if (sent.ok()) co_await exchange.EndStream();
    LogAttempt(call, *admission, attempt, traceparent, outcome);
    dispatcher_.Complete(*admission, outcome);
    co_return Served{};
  }
}

void Proxy::LogAttempt(const Call& call, const scheduler::Admission& admission, int attempt,
                       std::string_view traceparent, const providers::Outcome& outcome) const {
  if (!spdlog::should_log(spdlog::level::debug)) return;  // DescribeOutcome builds a string
  spdlog::debug("request {}: attempt {} on {} (traceparent {}): {}", call.trace.request_id, attempt,
                dispatcher_.targets()[admission.deployment].limits.name, traceparent,
                providers::DescribeOutcome(outcome));
}

}  // namespace sluice::api
