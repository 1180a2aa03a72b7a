#include "batch/request_line.h"

#include <simdjson.h>

#include <functional>
#include <vector>

namespace sluice::batch {
namespace {

LineError Error(std::int64_t line, std::string code, std::string message,
                std::optional<std::string> param = std::nullopt) {
  return LineError{std::move(code), std::move(message), std::move(param), line, {}};
}

LineError Missing(std::int64_t line, const std::string& param) {
  return Error(line, "missing_required_parameter", "Missing required parameter: '" + param + "'.",
               param);
}

LineError WrongType(std::int64_t line, const std::string& param, std::string_view expected) {
  return Error(line, "invalid_request",
               "Invalid type for '" + param + "': expected " + std::string(expected) + ".", param);
}

}  // namespace

std::optional<Endpoint> EndpointFromUrl(std::string_view url) {
  if (url == "/v1/chat/completions") return Endpoint::kChatCompletions;
  if (url == "/v1/embeddings") return Endpoint::kEmbeddings;
  if (url == "/v1/completions") return Endpoint::kCompletions;
  return std::nullopt;
}

std::string_view EndpointUrl(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kChatCompletions:
      return "/v1/chat/completions";
    case Endpoint::kEmbeddings:
      return "/v1/embeddings";
    case Endpoint::kCompletions:
      return "/v1/completions";
  }
  return "";
}

bool IsBlankLine(std::string_view text) {
  return text.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

namespace {

// The custom_ids seen so far, kept as 64-bit hashes in an open-addressed table: about 16 bytes a
// line instead of a string and a node each, so a file of millions of lines stays small. Two
// different ids collide with probability ~n²/2⁶⁵ (3·10⁻⁸ for a million lines): such a line would
// be reported as a duplicate, which is safe (nothing is sent twice) and vanishingly rare.
class IdHashSet {
 public:
  // False when `id` (its hash) was already present.
  bool Insert(std::string_view id) {
    std::uint64_t h = std::hash<std::string_view>()(id) | 1;  // 0 marks an empty slot
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++count_;
        return true;
      }
    }
  }

 private:
  void Grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    std::size_t mask = slots_.size() - 1;
    for (std::uint64_t h : old) {
      if (h == 0) continue;
      std::size_t i = h & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = h;
    }
  }

  std::vector<std::uint64_t> slots_;
  std::size_t count_ = 0;
};

}  // namespace

struct RequestLineParser::State {
  explicit State(LineRules r) : rules(std::move(r)) {}
  LineRules rules;
  simdjson::dom::parser parser;
  IdHashSet seen_ids;
};

RequestLineParser::RequestLineParser(LineRules rules)
    : state_(std::make_unique<State>(std::move(rules))) {}

RequestLineParser::~RequestLineParser() = default;

namespace {

// custom_id, method and url; fills `request` and returns the first problem.
std::optional<LineError> CheckEnvelope(simdjson::dom::object object, const LineRules& rules,
                                       RequestLine& request) {
  const std::int64_t n = request.line;
  simdjson::dom::element field;
  if (object["custom_id"].get(field) != simdjson::SUCCESS) return Missing(n, "custom_id");
  std::string_view custom_id;
  if (field.get_string().get(custom_id) != simdjson::SUCCESS) {
    return WrongType(n, "custom_id", "a string");
  }
  if (custom_id.empty()) return Error(n, "invalid_request", "custom_id is empty.", "custom_id");
  request.custom_id = custom_id;

  if (object["method"].get(field) != simdjson::SUCCESS) return Missing(n, "method");
  std::string_view method;
  if (field.get_string().get(method) != simdjson::SUCCESS || method != "POST") {
    return Error(n, "invalid_request", "Only the POST method is supported.", "method");
  }

  if (object["url"].get(field) != simdjson::SUCCESS) return Missing(n, "url");
  std::string_view url;
  if (field.get_string().get(url) != simdjson::SUCCESS) return WrongType(n, "url", "a string");
  std::optional<Endpoint> endpoint = EndpointFromUrl(url);
  if (!endpoint) {
    return Error(n, "invalid_url",
                 "Unsupported url '" + std::string(url) +
                     "': use /v1/chat/completions, /v1/embeddings or /v1/completions.",
                 "url");
  }
  if (rules.endpoint && *rules.endpoint != *endpoint) {
    return Error(n, "url_mismatch",
                 "The url '" + std::string(url) + "' does not match the batch's endpoint '" +
                     std::string(EndpointUrl(*rules.endpoint)) + "'.",
                 "url");
  }
  request.endpoint = *endpoint;
  return std::nullopt;
}

// The body: model known, no streaming, the endpoint's required input present.
std::optional<LineError> CheckBody(simdjson::dom::object object, const LineRules& rules,
                                   RequestLine& request) {
  const std::int64_t n = request.line;
  simdjson::dom::element field;
  if (object["body"].get(field) != simdjson::SUCCESS) return Missing(n, "body");
  simdjson::dom::object body;
  if (field.get_object().get(body) != simdjson::SUCCESS) return WrongType(n, "body", "an object");
  if (body["model"].get(field) != simdjson::SUCCESS) return Missing(n, "body.model");
  std::string_view model;
  if (field.get_string().get(model) != simdjson::SUCCESS) {
    return WrongType(n, "body.model", "a string");
  }
  if (rules.model_known && !rules.model_known(model)) {
    return Error(n, "model_not_found",
                 "The model '" + std::string(model) + "' is not configured in sluice.",
                 "body.model");
  }
  request.model = model;

  bool stream = false;
  if (body["stream"].get(field) == simdjson::SUCCESS &&
      field.get_bool().get(stream) == simdjson::SUCCESS && stream) {
    return Error(n, "streaming_unsupported", "Batch requests cannot stream.", "body.stream");
  }
  const char* required = request.endpoint == Endpoint::kChatCompletions ? "messages"
                         : request.endpoint == Endpoint::kEmbeddings    ? "input"
                                                                        : "prompt";
  if (body[required].get(field) != simdjson::SUCCESS) {
    return Missing(n, std::string("body.") + required);
  }
  simdjson::dom::array messages;
  if (request.endpoint == Endpoint::kChatCompletions &&
      (field.get_array().get(messages) != simdjson::SUCCESS || messages.size() == 0)) {
    return Error(n, "invalid_request", "body.messages must be a non-empty array.", "body.messages");
  }
  request.body = simdjson::minify(body);
  return std::nullopt;
}

}  // namespace

std::variant<RequestLine, LineError> RequestLineParser::Parse(const Line& line) {
  const std::int64_t n = line.number;
  if (line.oversized) {
    return Error(n, "line_too_large",
                 "This line is " + std::to_string(line.length) + " bytes, over the limit.");
  }
  simdjson::dom::element root;
  if (state_->parser.parse(line.text.data(), line.text.size()).get(root) != simdjson::SUCCESS) {
    return Error(n, "invalid_json_line", "This line is not parseable as valid JSON.");
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Error(n, "invalid_json_line", "This line is not a JSON object.");
  }
  RequestLine request;
  request.line = n;
  std::optional<LineError> error = CheckEnvelope(object, state_->rules, request);
  if (!error) error = CheckBody(object, state_->rules, request);
  if (!error && !state_->seen_ids.Insert(request.custom_id)) {
    error = Error(n, "duplicate_custom_id",
                  "The custom_id '" + request.custom_id + "' appears more than once in this file.",
                  "custom_id");
  }
  if (!error) return request;
  error->custom_id = request.custom_id;
  return *std::move(error);
}

}  // namespace sluice::batch
