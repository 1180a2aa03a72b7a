// RequestLineParser: validates one line of an OpenAI Batch API input file
// ({"custom_id","method","url","body"}) before anything is spent, and reports problems as
// OpenAI's BatchError (code, message, param, line). Duplicate custom_ids are caught across the
// lines of one file. Thread-compatible: one parser per file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "batch/line_reader.h"

namespace sluice::batch {

enum class Endpoint { kChatCompletions, kEmbeddings, kCompletions };

// "/v1/chat/completions" → kChatCompletions; std::nullopt for anything sluice does not run.
std::optional<Endpoint> EndpointFromUrl(std::string_view url);
std::string_view EndpointUrl(Endpoint endpoint);

struct RequestLine {
  std::int64_t line = 0;  // 1-based
  std::string custom_id;
  Endpoint endpoint = Endpoint::kChatCompletions;
  std::string model;
  std::string body;  // the request body as minified JSON text
};

// OpenAI's BatchError.
struct LineError {
  std::string code;  // invalid_json_line, duplicate_custom_id, url_mismatch, model_not_found, ...
  std::string message;
  std::optional<std::string> param;
  std::int64_t line = 0;
  std::string custom_id;  // the line's custom_id when it could be read, else empty
};

struct LineRules {
  // When set, every line's url must name this endpoint (a batch has one endpoint).
  std::optional<Endpoint> endpoint;
  // Whether a model name is served; unset: every model is.
  std::function<bool(std::string_view)> model_known;
};

// A blank line (only whitespace) is not a request: the caller skips it.
bool IsBlankLine(std::string_view text);

class RequestLineParser {
 public:
  explicit RequestLineParser(LineRules rules);
  ~RequestLineParser();

  // Validates `line` (which must not be blank). The custom_id of every valid line is remembered.
  std::variant<RequestLine, LineError> Parse(const Line& line);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sluice::batch
