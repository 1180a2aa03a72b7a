#include "cli/command_context.h"

#include "config/config_parser.h"

namespace sluice::cli {

config::LogOptions EffectiveLogOptions(const GlobalOptions& global,
                                       const config::LogOptions& from_config) {
  config::LogOptions options = from_config;
  if (auto format = config::ParseLogFormat(global.log_format)) options.format = *format;
  if (auto level = config::ParseLogLevel(global.log_level)) options.level = *level;
  return options;
}

Result<config::Config> LoadConfig(const GlobalOptions& global) {
  if (global.config_path.empty()) return config::DefaultConfig();
  return config::LoadConfigFile(global.config_path, config::ProcessEnvironment());
}

std::string ListeningLine(const std::string& host, std::uint16_t port) {
  return "listening on http://" + config::HostPort{host, port}.ToString();
}

std::string CannotListenMessage(const std::string& host, std::uint16_t port, const Status& error) {
  std::string address = config::HostPort{host, port}.ToString();
  // The server's message may repeat our prefix or name the address itself; keep the reason.
  std::string_view reason = error.message();
  std::string prefix = "cannot listen on " + address + ": ";
  if (reason.starts_with(prefix)) reason.remove_prefix(prefix.size());
  if (reason.find("in use") != std::string_view::npos) reason = "address already in use";
  return "cannot listen on " + address + ": " + std::string(reason);
}

}  // namespace sluice::cli
