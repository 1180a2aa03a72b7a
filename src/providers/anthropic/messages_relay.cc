#include "providers/anthropic/messages_relay.h"

#include <simdjson.h>

#include <boost/json.hpp>

#include "http/sse.h"
#include "providers/anthropic/event_reader.h"
#include "providers/anthropic/json.h"

namespace sluice::providers {
namespace {

// Passes the stream through unchanged while its events are read for usage and the end.
class RelayedStreamDecoder final : public StreamDecoder {
 public:
  explicit RelayedStreamDecoder(Outcome head) : reader_(std::move(head)) {}

  std::string Feed(std::string_view piece) override {
    for (const http::SseEvent& event : events_.Feed(piece)) {
      boost::system::error_code ec;
      boost::json::value data = boost::json::parse(event.data, ec);
      if (!ec && data.is_object()) reader_.Observe(data.as_object());
    }
    return std::string(piece);
  }

  Outcome Finish(const Status& ended) override { return reader_.Finish(ended); }

 private:
  http::SseParser events_;
  MessagesEventReader reader_;
};

}  // namespace

http::ClientRequest MessagesRequestTo(const Upstream& upstream) {
  std::string_view base = upstream.base_url;
  while (base.ends_with('/')) base.remove_suffix(1);
  http::ClientRequest request;
  request.method = "POST";
  request.url = std::string(base) + (base.ends_with("/v1") ? "" : "/v1") + "/messages";
  request.headers.Set("content-type", "application/json");
  if (!upstream.api_key.empty()) request.headers.Set("x-api-key", upstream.api_key);
  return request;
}

std::optional<std::string> ReplaceModel(std::string_view body, std::string_view model) {
  simdjson::padded_string padded(body);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  simdjson::ondemand::value value;
  simdjson::ondemand::json_type type;
  if (parser.iterate(padded).get(document) != simdjson::SUCCESS ||
      document.get_object().get(object) != simdjson::SUCCESS ||
      object.find_field_unordered("model").get(value) != simdjson::SUCCESS ||
      value.type().get(type) != simdjson::SUCCESS ||
      type != simdjson::ondemand::json_type::string) {
    return std::nullopt;
  }
  std::string_view token = value.raw_json_token();
  // The token runs from the opening quote to the next token; what follows the closing quote is
  // whitespace.
  std::size_t end = token.find_last_of('"');
  std::size_t at = static_cast<std::size_t>(token.data() - padded.data());
  std::string replaced(body.substr(0, at));
  replaced += boost::json::serialize(boost::json::string(model));
  replaced += body.substr(at + end + 1);
  return replaced;
}

AnthropicMessagesRelay::AnthropicMessagesRelay(Upstream upstream, const Clock& clock)
    : upstream_(std::move(upstream)), clock_(clock) {}

http::ClientRequest AnthropicMessagesRelay::Encode(std::string_view body,
                                                   const http::Headers& client_headers) const {
  http::ClientRequest request = MessagesRequestTo(upstream_);
  auto version = client_headers.Get("anthropic-version");
  request.headers.Set("anthropic-version",
                      std::string(version && !version->empty() ? *version : kAnthropicVersion));
  if (auto beta = client_headers.Get("anthropic-beta")) {
    request.headers.Set("anthropic-beta", std::string(*beta));
  }
  request.body = ReplaceModel(body, upstream_.model).value_or(std::string(body));
  return request;
}

Outcome AnthropicMessagesRelay::Decode(const Result<http::Response>& answer) const {
  if (!answer.ok()) return UnansweredOutcome(answer.status());
  Outcome outcome = AnsweredOutcome(*answer, ParseAnthropicLimitHints(*answer, clock_.WallNow()),
                                    upstream_.name, "request-id");
  if (outcome.verdict != Verdict::kSuccess) return outcome;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(answer->body, ec);
  if (ec || !parsed.is_object()) {
    // A 200 whose body is not JSON: the answer was damaged on the way; ask again.
    outcome.verdict = Verdict::kRetry;
    outcome.status = UnavailableError("upstream answered 200 with a body that is not JSON");
    return outcome;
  }
  AnthropicUsage usage;
  if (const auto* u = anthropic_json::ObjectAt(parsed.as_object(), "usage")) usage.Update(*u);
  outcome.usage = usage.ToUsage();
  return outcome;
}

Outcome AnthropicMessagesRelay::HeadOutcome(int status, const http::Headers& headers) const {
  http::Response head{status, headers, ""};
  return AnsweredOutcome(head, ParseAnthropicLimitHints(head, clock_.WallNow()), upstream_.name,
                         "request-id");
}

std::unique_ptr<StreamDecoder> AnthropicMessagesRelay::DecodeStream(
    int status, const http::Headers& headers) const {
  return std::make_unique<RelayedStreamDecoder>(HeadOutcome(status, headers));
}

}  // namespace sluice::providers
