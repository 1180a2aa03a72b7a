#include "cli/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/json_log_formatter.h"

namespace sluice::cli {
namespace {

spdlog::level::level_enum ToSpdlog(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kTrace:
      return spdlog::level::trace;
    case config::LogLevel::kDebug:
      return spdlog::level::debug;
    case config::LogLevel::kInfo:
      return spdlog::level::info;
    case config::LogLevel::kWarn:
      return spdlog::level::warn;
    case config::LogLevel::kError:
      return spdlog::level::err;
    case config::LogLevel::kOff:
      break;
  }
  return spdlog::level::off;
}

}  // namespace

void ConfigureLogging(const config::LogOptions& options) {
  std::shared_ptr<spdlog::logger> logger;
  if (options.format == config::LogFormat::kJson) {
    logger = std::make_shared<spdlog::logger>("sluice",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_formatter(std::make_unique<JsonLogFormatter>());
  } else {
    // The color sink colors the level only when stderr is a terminal.
    logger = std::make_shared<spdlog::logger>(
        "sluice", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(ToSpdlog(options.level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace sluice::cli
