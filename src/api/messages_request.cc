#include "api/messages_request.h"

#include <boost/json.hpp>

#include "api/errors.h"
#include "providers/from_messages/event_encoder.h"
#include "providers/from_messages/to_chat.h"
#include "providers/from_messages/to_message.h"
#include "providers/from_messages/validate.h"
#include "providers/messages_relay.h"

namespace sluice::api {
namespace {

namespace json = boost::json;

class MessagesRequest final : public ProxyRequest {
 public:
  // `chat` is the request as chat completions, or why it has no such form.
  MessagesRequest(std::string body, http::Headers headers,
                  std::variant<std::string, providers::Refusal> chat)
      : body_(std::move(body)), headers_(std::move(headers)), chat_(std::move(chat)) {}

  providers::Encoded Encode(const providers::Provider& provider) const override {
    if (const providers::MessagesRelay* relay = provider.messages_relay()) {
      return relay->Encode(body_, headers_);
    }
    if (auto* refused = std::get_if<providers::Refusal>(&chat_)) return *refused;
    return provider.Encode("/v1/chat/completions", std::get<std::string>(chat_));
  }

  providers::Outcome Decode(const providers::Provider& provider,
                            const Result<http::Response>& answer) const override {
    if (const providers::MessagesRelay* relay = provider.messages_relay()) {
      return relay->Decode(answer);
    }
    providers::Outcome outcome = provider.Decode(answer);
    if (!answer.ok()) return outcome;
    if (outcome.verdict == providers::Verdict::kSuccess) {
      if (auto message = providers::ToMessage(outcome.body)) outcome.body = std::move(*message);
    } else if (answer->status >= 400) {
      outcome.body = providers::ToAnthropicError(answer->status, outcome.body);
    }
    return outcome;
  }

  std::unique_ptr<providers::StreamDecoder> DecodeStream(
      const providers::Provider& provider, int status,
      const http::Headers& headers) const override {
    if (const providers::MessagesRelay* relay = provider.messages_relay()) {
      return relay->DecodeStream(status, headers);
    }
    // Only a translated request is ever streamed by a provider without a relay.
    return std::make_unique<providers::MessagesEventEncoder>(
        provider.DecodeStream(status, headers, std::get<std::string>(chat_)));
  }

  int ClientStatus(int upstream_status) const override { return upstream_status; }

  std::string StreamError(std::string_view message) const override {
    return "event: error\n" + http::FormatSseData(providers::AnthropicErrorBody(502, message));
  }

 private:
  std::string body_;
  http::Headers headers_;  // the client's anthropic-version and anthropic-beta
  std::variant<std::string, providers::Refusal> chat_;
};

}  // namespace

std::optional<http::Response> ParseMessagesCall(const http::Request& request, ProxyCall& call) {
  auto type = request.headers.Get("content-type");
  if (!type || type->substr(0, type->find(';')) != "application/json") return NotJson();
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return NotJson();
  auto valid = providers::ValidateMessagesRequest(parsed.as_object());
  if (auto* refused = std::get_if<providers::Refusal>(&valid)) {
    return InvalidRequest(400, refused->message, refused->param);
  }
  auto& head = std::get<providers::MessagesRequestHead>(valid);
  call.model = std::move(head.model);
  call.stream = head.stream;
  auto chat = providers::ToChatRequest(request.body);
  // Counted as the chat request it is to OpenAI (system and tools included) where it has that
  // form; otherwise its messages' text, which the chat estimate reads the same way.
  call.estimate_endpoint = "/v1/chat/completions";
  call.estimate_body =
      std::holds_alternative<std::string>(chat) ? std::get<std::string>(chat) : request.body;
  http::Headers passed;
  for (std::string_view name : {"anthropic-version", "anthropic-beta"}) {
    if (auto value = request.headers.Get(name)) passed.Set(std::string(name), std::string(*value));
  }
  call.request =
      std::make_unique<MessagesRequest>(request.body, std::move(passed), std::move(chat));
  return std::nullopt;
}

}  // namespace sluice::api
