// The Anthropic adapter: OpenAI chat completions sent as Messages requests (x-api-key,
// anthropic-version), answers, errors and streams translated back to OpenAI's shapes, and
// Anthropic's rate-limit headers read as hints. Only /v1/chat/completions is served; Messages
// requests from Anthropic's clients are relayed as they are (messages_relay.h).
#include "providers/provider.h"

#include <boost/json.hpp>
#include <chrono>

#include "providers/anthropic/messages_relay.h"
#include "providers/anthropic/request.h"
#include "providers/anthropic/response.h"
#include "providers/anthropic/stream_decoder.h"

namespace sluice::providers {
namespace {

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
      : upstream_(std::move(upstream)), options_(options), relay_(upstream_, *options_.clock) {}

  Encoded Encode(std::string_view endpoint_url, std::string_view body) const override {
    if (endpoint_url != "/v1/chat/completions") {
      return Refusal{
          "anthropic deployments serve /v1/chat/completions only, not " + std::string(endpoint_url),
          std::nullopt};
    }
    auto translated = ToMessagesRequest(body, {upstream_.model, options_.default_max_tokens});
    if (auto* refused = std::get_if<Refusal>(&translated)) return std::move(*refused);
    http::ClientRequest request = MessagesRequestTo(upstream_);
    request.headers.Set("anthropic-version", std::string(kAnthropicVersion));
    request.body = std::move(std::get<std::string>(translated));
    return request;
  }

  // The relay's reading (verdict, hints, usage), with the body in OpenAI's shape.
  Outcome Decode(const Result<http::Response>& answer) const override {
    Outcome outcome = relay_.Decode(answer);
    if (!answer.ok() || (outcome.verdict == Verdict::kRetry && answer->status / 100 == 2)) {
      return outcome;  // no answer, or a damaged one: retried
    }
    if (outcome.verdict != Verdict::kSuccess) {
      outcome.body = ToOpenAiError(answer->status, answer->body);
      return outcome;
    }
    auto completion = ToChatCompletion(answer->body, CreatedNow());
    if (completion) outcome.body = std::move(completion->body);
    return outcome;
  }

  std::unique_ptr<StreamDecoder> DecodeStream(int status, const http::Headers& headers,
                                              std::string_view request_body) const override {
    return std::make_unique<AnthropicStreamDecoder>(
        relay_.HeadOutcome(status, headers),
        AnthropicStreamDecoder::Options{IncludesUsage(request_body), CreatedNow()});
  }

  const MessagesRelay* messages_relay() const override { return &relay_; }

 private:
  std::int64_t CreatedNow() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               options_.clock->WallNow().time_since_epoch())
        .count();
  }

  Upstream upstream_;
  AnthropicOptions options_;
  AnthropicMessagesRelay relay_;
};

}  // namespace

std::unique_ptr<Provider> MakeAnthropicProvider(Upstream upstream, AnthropicOptions options) {
  return std::make_unique<AnthropicProvider>(std::move(upstream), options);
}

}  // namespace sluice::providers
