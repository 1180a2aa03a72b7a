#include "mock/mock_request.h"

#include <fmt/format.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mock/body_hash.h"
#include "mock/request_checks.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxInputs = 2048;
constexpr std::string_view kExpectedInput =
    "one of a string, array of strings, array of integers or array of arrays of integers";

bool IsTokenArray(const json::value& v) {
  if (!v.is_array() || v.as_array().empty()) return false;
  for (const json::value& t : v.as_array()) {
    if (!t.is_int64() && !t.is_uint64()) return false;
  }
  return true;
}

http::ApiError InvalidInput(std::string_view param) {
  return BadRequest(
      fmt::format("'$.{}' is invalid. Please check the API reference: "
                  "https://platform.openai.com/docs/api-reference.",
                  param));
}

// One prompt or input item: a (non-empty) string or a token array.
Check ReadOneInput(const json::value& v, std::string_view param, MockRequest& r) {
  if (v.is_string()) {
    std::string_view text = v.as_string();
    if (text.empty() && r.endpoint == Endpoint::kEmbeddings) return InvalidInput(param);
    r.prompt_chars += CountCharacters(text);
    if (r.input_hashes.empty()) r.echo_text = EchoPrefix(text);
    r.input_hashes.push_back(BodyHash(text));
    return std::nullopt;
  }
  if (!IsTokenArray(v)) return InvalidType(param, kExpectedInput, v);
  r.prompt_token_ids += static_cast<std::int64_t>(v.as_array().size());
  r.input_hashes.push_back(BodyHash(json::serialize(v)));
  return std::nullopt;
}

// A string, an array of strings, an array of token ids or an array of token arrays.
Check ReadInputs(const json::object& body, std::string_view param, MockRequest& r) {
  const json::value* v = body.if_contains(param);
  if (v == nullptr || v->is_null()) return Missing(param);
  if (!v->is_array() || IsTokenArray(*v)) return ReadOneInput(*v, param, r);
  const json::array& items = v->as_array();
  if (items.empty() || items.size() > kMaxInputs) return InvalidInput(param);
  for (const json::value& item : items) {
    if (Check e = ReadOneInput(item, param, r)) return e;
  }
  return std::nullopt;
}

Check ReadEmbeddings(const json::object& body, MockRequest& r) {
  if (Check e = ReadModel(body, r)) return e;
  if (Check e = ReadInputs(body, "input", r)) return e;
  if (Check e = ReadBoundedInt(body, "dimensions", 1, 8192, r.dimensions)) return e;
  const json::value* format = body.if_contains("encoding_format");
  if (format == nullptr || format->is_null()) return std::nullopt;
  if (!format->is_string()) return InvalidType("encoding_format", "a string", *format);
  if (format->as_string() == "base64") {
    r.base64 = true;
  } else if (format->as_string() != "float") {
    return BadRequest(fmt::format("Invalid value: '{}'. Supported values are: 'float' and "
                                  "'base64'.",
                                  std::string_view(format->as_string())),
                      "encoding_format", "invalid_value");
  }
  return std::nullopt;
}

Check ReadCompletions(const json::object& body, MockRequest& r) {
  if (Check e = ReadModel(body, r)) return e;
  if (Check e = ReadInputs(body, "prompt", r)) return e;
  return ReadOutputControls(body, r);
}

Check ReadBody(const json::object& body, MockRequest& r) {
  switch (r.endpoint) {
    case Endpoint::kChatCompletions:
      return ReadChat(body, r);
    case Endpoint::kCompletions:
      return ReadCompletions(body, r);
    case Endpoint::kEmbeddings:
      return ReadEmbeddings(body, r);
  }
  return std::nullopt;
}

}  // namespace

std::int64_t CountCharacters(std::string_view text) {
  std::int64_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::int64_t MockRequest::PromptTokens() const { return (prompt_chars + 3) / 4 + prompt_token_ids; }

std::int64_t MockRequest::AdmissionCost(std::int64_t default_max_tokens) const {
  if (endpoint == Endpoint::kEmbeddings) return PromptTokens();
  return PromptTokens() + n * max_tokens.value_or(default_max_tokens);
}

ParsedRequest ParseMockRequest(Endpoint endpoint, std::string_view body) {
  ParsedRequest out;
  out.request.endpoint = endpoint;
  unsigned char buffer[4096];
  json::monotonic_resource arena(buffer, sizeof(buffer));
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec, &arena);
  if (ec || !doc.is_object()) {
    out.error = BadRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
        "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
        "sent was not valid JSON. If you have trouble figuring out how to fix this, please "
        "contact us through our help center at help.openai.com.)");
    return out;
  }
  out.error = ReadBody(doc.as_object(), out.request);
  return out;
}

std::optional<Endpoint> EndpointOfPath(std::string_view path) {
  if (path == "/v1/chat/completions") return Endpoint::kChatCompletions;
  if (path == "/v1/completions") return Endpoint::kCompletions;
  if (path == "/v1/embeddings") return Endpoint::kEmbeddings;
  return std::nullopt;
}

}  // namespace sluice::mock
