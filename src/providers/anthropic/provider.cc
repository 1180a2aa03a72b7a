// The Anthropic adapter: OpenAI chat completions sent as Messages requests (x-api-key,
// anthropic-version), answers, errors and streams translated back to OpenAI's shapes, and
// Anthropic's rate-limit headers read as hints. Only /v1/chat/completions is served.
#include "providers/provider.h"

#include <boost/json.hpp>
#include <chrono>

#include "providers/anthropic/request.h"
#include "providers/anthropic/response.h"
#include "providers/anthropic/stream_decoder.h"

namespace sluice::providers {
namespace {

// The Messages API version whose wire format the translation follows (WIRE.md §5.1).
constexpr const char* kAnthropicVersion = "2023-06-01";

bool IncludesUsage(std::string_view request_body) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(request_body, ec);
  if (ec || !parsed.is_object()) return false;
  const boost::json::value* options = parsed.as_object().if_contains("stream_options");
  if (options == nullptr || !options->is_object()) return false;
  const boost::json::value* include = options->as_object().if_contains("include_usage");
  return include != nullptr && include->is_bool() && include->as_bool();
}

class AnthropicProvider final : public Provider {
 public:
  AnthropicProvider(Upstream upstream, AnthropicOptions options)
      : upstream_(std::move(upstream)), options_(options) {
    while (!upstream_.base_url.empty() && upstream_.base_url.back() == '/') {
      upstream_.base_url.pop_back();
    }
  }

  Encoded Encode(std::string_view endpoint_url, std::string_view body) const override {
    if (endpoint_url != "/v1/chat/completions") {
      return Refusal{
          "anthropic deployments serve /v1/chat/completions only, not " + std::string(endpoint_url),
          std::nullopt};
    }
    auto translated = ToMessagesRequest(body, {upstream_.model, options_.default_max_tokens});
    if (auto* refused = std::get_if<Refusal>(&translated)) return std::move(*refused);
    http::ClientRequest request;
    request.method = "POST";
    // base_url is the API's root (https://api.anthropic.com); a root given with /v1 works too.
    request.url =
        upstream_.base_url + (upstream_.base_url.ends_with("/v1") ? "" : "/v1") + "/messages";
    request.headers.Set("content-type", "application/json");
    request.headers.Set("anthropic-version", kAnthropicVersion);
    if (!upstream_.api_key.empty()) request.headers.Set("x-api-key", upstream_.api_key);
    request.body = std::move(std::get<std::string>(translated));
    return request;
  }

  Outcome Decode(const Result<http::Response>& answer) const override {
    if (!answer.ok()) return UnansweredOutcome(answer.status());
    Outcome outcome =
        AnsweredOutcome(*answer, ParseAnthropicLimitHints(*answer, options_.clock->WallNow()),
                        upstream_.name, "request-id");
    if (outcome.verdict != Verdict::kSuccess) {
      outcome.body = ToOpenAiError(answer->status, answer->body);
      return outcome;
    }
    auto completion = ToChatCompletion(answer->body, CreatedNow());
    if (!completion) {
      // A 200 whose body is not JSON: the answer was damaged on the way; ask again.
      outcome.verdict = Verdict::kRetry;
      outcome.status = UnavailableError("upstream answered 200 with a body that is not JSON");
      return outcome;
    }
    outcome.body = std::move(completion->body);
    outcome.usage = completion->usage;
    return outcome;
  }

  std::unique_ptr<StreamDecoder> DecodeStream(int status, const http::Headers& headers,
                                              std::string_view request_body) const override {
    http::Response head{status, headers, ""};
    Outcome outcome =
        AnsweredOutcome(head, ParseAnthropicLimitHints(head, options_.clock->WallNow()),
                        upstream_.name, "request-id");
    return std::make_unique<AnthropicStreamDecoder>(
        std::move(outcome),
        AnthropicStreamDecoder::Options{IncludesUsage(request_body), CreatedNow()});
  }

 private:
  std::int64_t CreatedNow() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               options_.clock->WallNow().time_since_epoch())
        .count();
  }

  Upstream upstream_;
  AnthropicOptions options_;
};

}  // namespace

std::unique_ptr<Provider> MakeAnthropicProvider(Upstream upstream, AnthropicOptions options) {
  return std::make_unique<AnthropicProvider>(std::move(upstream), options);
}

}  // namespace sluice::providers
