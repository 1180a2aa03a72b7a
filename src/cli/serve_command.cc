#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>

#include "cli/logging.h"
#include "cli/shutdown_on_signal.h"
#include "config/listen_check.h"
#include "config/value_parsers.h"
#include "runtime/data_dir_lock.h"
#include "runtime/gateway_server.h"

namespace sluice::cli {
namespace {

// Longer than the server's own drain timeout, so the server normally finishes first.
constexpr Duration kDrainLimit = std::chrono::seconds(30);

// The config with flag overrides applied and its listen address checked against its keys; every
// problem printed, nullopt on any.
std::optional<config::Config> ResolveConfig(const ServeFlags& flags, CommandContext& ctx) {
  Result<config::Config> loaded = LoadConfig(ctx.global);
  if (!loaded.ok()) {
    if (loaded.status().code() == StatusCode::kInvalidArgument) {
      // One problem per line, each already "file:line:col: ...".
      ctx.err << loaded.status().message() << "\n"
              << "sluice: invalid config " << ctx.global.config_path << std::endl;
    } else {
      ctx.err << "sluice: " << loaded.status().message() << std::endl;
    }
    return std::nullopt;
  }
  config::Config config = std::move(loaded).value();
  if (!flags.listen.empty()) {
    Result<config::HostPort> listen = config::ParseHostPort(flags.listen);
    if (!listen.ok()) {
      ctx.err << "sluice: --listen: " << listen.status().message() << std::endl;
      return std::nullopt;
    }
    config.listen = *listen;
  }
  if (Status safe = config::CheckListenAddress(config); !safe.ok()) {
    ctx.err << "sluice: " << safe.message() << std::endl;
    return std::nullopt;
  }
  return config;
}

}  // namespace

CLI::App* AddServeCommand(CLI::App& app, ServeFlags& flags) {
  CLI::App* cmd = app.add_subcommand("serve", "Run the gateway's HTTP API");
  cmd->add_option("--listen", flags.listen, "Address to listen on (HOST:PORT), over the config's");
  return cmd;
}

int RunServeCommand(const ServeFlags& flags, CommandContext& ctx) {
  std::optional<config::Config> config = ResolveConfig(flags, ctx);
  if (!config) return kExitUsage;
  ConfigureLogging(EffectiveLogOptions(ctx.global, config->log));
  config::HostPort listen = config->listen;
  bool open_mode = config->keys.empty();
  // Taken before the store opens and held until the server is gone (declared first, freed last).
  // On Redis, nodes share data_dir (the file bodies) as they share the store: no lock.
  std::optional<runtime::DataDirLock> lock;
  if (config->store.url.empty()) {
    auto acquired = runtime::DataDirLock::Acquire(config->store.data_dir);
    if (!acquired.ok()) {
      ctx.err << "sluice: " << acquired.status().message() << std::endl;
      return kExitFailure;
    }
    lock.emplace(std::move(acquired).value());
  }

  boost::asio::io_context io(1);
  std::unique_ptr<runtime::GatewayServer> gateway;
  ShutdownOnSignal shutdown(
      io, [&](std::function<void()> done) { gateway->Drain(std::move(done)); }, kDrainLimit);
  std::vector<std::string> notices;  // printed after the listening line, which comes first
  auto announce = [&notices](const std::string& line) { notices.push_back(line); };
  auto started = runtime::GatewayServer::Start(io, std::move(*config), announce);
  if (!started.ok()) {
    std::string message = started.status().message();
    if (message.starts_with("cannot listen")) {
      message = CannotListenMessage(listen.host, listen.port, started.status());
    }
    ctx.err << "sluice: " << message << std::endl;
    return kExitFailure;
  }
  gateway = std::move(started).value();
  ctx.out << ListeningLine(listen.host, gateway->port()) << std::endl;
  for (const std::string& notice : notices) ctx.out << notice << std::endl;
  if (open_mode) spdlog::warn("{}", config::kOpenModeNotice);
  spdlog::info("sluice serve listening on {} with {} model(s), config {}",
               config::HostPort{listen.host, gateway->port()}.ToString(), gateway->models().size(),
               ctx.global.config_path.empty() ? "<defaults>" : ctx.global.config_path);
  io.run();
  return shutdown.forced() ? kExitFailure : kExitOk;
}

}  // namespace sluice::cli
