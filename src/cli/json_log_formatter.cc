#include "cli/json_log_formatter.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/details/log_msg.h>

#include <chrono>

namespace sluice::cli {

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  using std::chrono::duration_cast;
  auto since_epoch = msg.time.time_since_epoch();
  auto seconds = duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  std::tm utc = fmt::gmtime(static_cast<std::time_t>(seconds.count()));
  spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
  std::string_view payload(msg.payload.data(), msg.payload.size());
  fmt::format_to(std::back_inserter(dest),
                 R"({{"ts":"{:%Y-%m-%dT%H:%M:%S}.{:03}Z","level":"{}","msg":"{}"}})"
                 "\n",
                 utc, millis, level, JsonEscape(payload));
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

}  // namespace sluice::cli
