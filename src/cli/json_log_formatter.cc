#include "cli/json_log_formatter.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/details/log_msg.h>

#include <chrono>

#include "common/json_text.h"

namespace sluice::cli {

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
