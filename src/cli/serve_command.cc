#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>

#include "api/api_router.h"
#include "cli/logging.h"
#include "cli/shutdown_on_signal.h"
#include "config/listen_check.h"
#include "config/value_parsers.h"
#include "http/server.h"

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

http::Handler MakeHandler(const api::ApiRouter& router) {
  return [&router](http::Exchange& exchange) -> boost::asio::awaitable<void> {
    Status sent = co_await exchange.Respond(router.Route(exchange.request()));
    if (!sent.ok()) spdlog::debug("response not delivered: {}", sent.message());
  };
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
  api::ApiRouter router({config->ModelNames(), SystemClock::Instance().WallNow()});

  boost::asio::io_context io(1);
  std::unique_ptr<http::Server> server;
  ShutdownOnSignal shutdown(
      io,
      [&](std::function<void()> done) {
        router.SetReady(false);
        server->Drain(std::move(done));
      },
      kDrainLimit);
  http::ServerOptions options;
  options.host = config->listen.host;
  options.port = config->listen.port;
  auto started = http::Server::Start(io, options, MakeHandler(router));
  if (!started.ok()) {
    ctx.err << "sluice: " << CannotListenMessage(options.host, options.port, started.status())
            << std::endl;
    return kExitFailure;
  }
  server = std::move(started).value();
  ctx.out << ListeningLine(options.host, server->port()) << std::endl;
  if (config->keys.empty()) spdlog::warn("{}", config::kOpenModeNotice);
  spdlog::info("sluice serve listening on {} with {} model(s), config {}",
               config::HostPort{options.host, server->port()}.ToString(), config->models.size(),
               ctx.global.config_path.empty() ? "<defaults>" : ctx.global.config_path);
  io.run();
  return shutdown.forced() ? kExitFailure : kExitOk;
}

}  // namespace sluice::cli
