#include "batch/output_line.h"

#include <simdjson.h>

#include <cstdio>
#include <functional>

#include "common/json_text.h"

namespace sluice::batch {
namespace {

bool IsJson(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element ignored;
  return !text.empty() && parser.parse(text.data(), text.size()).get(ignored) == simdjson::SUCCESS;
}

std::string LineId(std::string_view batch_id, std::int64_t index) {
  std::size_t h = std::hash<std::string_view>()(batch_id) ^
                  (static_cast<std::size_t>(index) * 0x9E3779B97F4A7C15ULL);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "batch_req_%016zx%06llx", h,
                static_cast<unsigned long long>(index & 0xFFFFFF));
  return buffer;
}

}  // namespace

std::string FormatResultLine(const ResultRecord& result, std::string_view batch_id) {
  std::string line = "{\"id\":" + JsonQuote(LineId(batch_id, result.index)) +
                     ",\"custom_id\":" + JsonQuote(result.custom_id) + ",\"response\":";
  if (result.status_code != 0) {
    line += "{\"status_code\":" + std::to_string(result.status_code) +
            ",\"request_id\":" + JsonQuote(result.request_id) + ",\"body\":";
    line += IsJson(result.body) ? result.body : JsonQuote(result.body);
    line += "},\"error\":null}";
  } else {
    line += "null,\"error\":{\"code\":" + JsonQuote(result.error_code) +
            ",\"message\":" + JsonQuote(result.error_message) + "}}";
  }
  return line;
}

}  // namespace sluice::batch
