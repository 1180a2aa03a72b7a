#include "batch/failure_code.h"

#include <simdjson.h>

namespace sluice::batch {
namespace {

// error.code, else error.type, of an error body in OpenAI's shape; empty if there is neither.
std::string ErrorCodeIn(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element parsed;
  if (parser.parse(body).get(parsed) != simdjson::SUCCESS) return "";
  simdjson::dom::object error;
  if (parsed["error"].get_object().get(error) != simdjson::SUCCESS) return "";
  for (const char* field : {"code", "type"}) {
    std::string_view text;
    if (error[field].get_string().get(text) == simdjson::SUCCESS && !text.empty()) {
      return std::string(text);
    }
  }
  return "";
}

}  // namespace

std::string FailureCodeOf(const ResultRecord& result) {
  if (!result.error_code.empty()) return result.error_code;
  std::string code = ErrorCodeIn(result.body);
  if (!code.empty()) return code;
  return "http_" + std::to_string(result.status_code);
}

}  // namespace sluice::batch
