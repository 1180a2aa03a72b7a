#include "batch/output_line.h"

#include <simdjson.h>

#include <cstdio>
#include <functional>
#include <optional>

#include "common/json_text.h"

namespace sluice::batch {
namespace {

constexpr std::size_t kGarbageExcerpt = 200;  // bytes of a non-JSON body quoted in its error

// The body as compact JSON (no whitespace outside strings; key order and numbers as sent), or
// nullopt when it does not parse as JSON.
std::optional<std::string> CompactJson(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element ignored;
  if (text.empty() || parser.parse(text.data(), text.size()).get(ignored) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::string compact(text.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(text.data(), text.size(), compact.data(), length) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  compact.resize(length);
  return compact;
}

std::string GarbageMessage(const ResultRecord& result) {
  std::string message = "upstream answered HTTP " + std::to_string(result.status_code) +
                        " with a body that is not JSON (" + std::to_string(result.body.size()) +
                        " bytes)";
  if (result.body.empty()) return message;
  // Only printable ASCII of the excerpt is kept: a cut (or broken) UTF-8 sequence would make
  // the line itself invalid JSON.
  message += ": ";
  for (char c : std::string_view(result.body).substr(0, kGarbageExcerpt)) {
    message += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  if (result.body.size() > kGarbageExcerpt) message += "...";
  return message;
}

std::string ErrorTail(std::string_view code, std::string_view message) {
  return "null,\"error\":{\"code\":" + JsonQuote(code) + ",\"message\":" + JsonQuote(message) +
         "}}";
}

}  // namespace

std::string ResultLineId(std::string_view batch_id, std::int64_t index) {
  std::size_t h = std::hash<std::string_view>()(batch_id) ^
                  (static_cast<std::size_t>(index) * 0x9E3779B97F4A7C15ULL);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "batch_req_%016zx%06llx", h,
                static_cast<unsigned long long>(index & 0xFFFFFF));
  return buffer;
}

std::string FormatResultLine(const ResultRecord& result, std::string_view batch_id) {
  std::string line = "{\"id\":" + JsonQuote(ResultLineId(batch_id, result.index)) +
                     ",\"custom_id\":" + JsonQuote(result.custom_id);
  if (!result.model.empty()) line += ",\"fallback_model\":" + JsonQuote(result.model);
  if (result.duplicate_of) {
    line += ",\"sluice_duplicate_of\":" + JsonQuote(ResultLineId(batch_id, *result.duplicate_of));
  }
  line += ",\"response\":";
  if (!result.error_code.empty() || result.status_code == 0) {
    return line + ErrorTail(result.error_code, result.error_message);
  }
  std::optional<std::string> body = CompactJson(result.body);
  if (!body) return line + ErrorTail("upstream_invalid_response", GarbageMessage(result));
  line += "{\"status_code\":" + std::to_string(result.status_code) +
          ",\"request_id\":" + JsonQuote(result.request_id) + ",\"body\":" + *body +
          "},\"error\":null}";
  return line;
}

}  // namespace sluice::batch
