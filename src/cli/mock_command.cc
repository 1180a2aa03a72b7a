#include "cli/mock_command.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>

#include "cli/duration_validator.h"
#include "cli/shutdown_on_signal.h"
#include "common/clock.h"
#include "common/duration.h"

namespace sluice::cli {
namespace {

constexpr std::uint16_t kDefaultMockPort = 8081;
constexpr Duration kDrainLimit = std::chrono::seconds(30);

void AddFaultFlags(CLI::App& cmd, mock::FaultRates& faults) {
  const CLI::Range rate(0.0, 1.0);
  cmd.add_option("--fail-500", faults.http_500, "Rate of 500 server errors (0..1)")->check(rate);
  cmd.add_option("--fail-503", faults.http_503, "Rate of 503 overloaded errors (0..1)")
      ->check(rate);
  cmd.add_option("--fail-reset", faults.reset, "Rate of connections reset mid-answer (0..1)")
      ->check(rate);
  cmd.add_option("--fail-hang", faults.hang, "Rate of requests never answered (0..1)")->check(rate);
  cmd.add_option("--fail-malformed", faults.malformed, "Rate of 200s with invalid JSON (0..1)")
      ->check(rate);
}

// The providers' batch APIs: how long a batch takes and what goes wrong with it.
void AddBatchFlags(CLI::App& cmd, MockFlags& flags) {
  const CLI::Range rate(0.0, 1.0);
  mock::BatchFaultOptions& b = flags.options.batches;
  cmd.add_option("--batch-turnaround", flags.batch_turnaround,
                 "Least time from a batch's creation to its end (e.g. 2s)")
      ->check(DurationValidator())
      ->capture_default_str();
  cmd.add_option("--batch-polls", b.polls, "Least polls (GETs) of a batch before it ends")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd.add_option("--batch-window", flags.batch_window,
                 "A batch's completion window: it expires this long after its creation")
      ->check(DurationValidator())
      ->capture_default_str();
  cmd.add_option("--batch-expire", b.expire, "Rate of batch lines that come back expired (0..1)")
      ->check(rate);
  cmd.add_option("--batch-fail-validation", b.fail_validation,
                 "Rate of batches that fail validation (0..1)")
      ->check(rate);
  cmd.add_option("--batch-malformed-output", b.malformed_output,
                 "Rate of batches whose output file does not parse (0..1)")
      ->check(rate);
  cmd.add_option("--batch-never-finish", b.never_finish,
                 "Rate of batches that stay in progress until their window passes (0..1)")
      ->check(rate);
  cmd.add_option("--batch-vanish", b.vanish,
                 "Rate of batches whose id is unknown after their creation (0..1)")
      ->check(rate);
}

mock::MockOptions ToOptions(const MockFlags& flags) {
  mock::MockOptions options = flags.options;
  // The parser has validated both durations.
  options.time_to_first_byte = ParseDuration(flags.time_to_first_byte).value();
  options.time_per_output_token = ParseDuration(flags.time_per_output_token).value();
  options.prompt_cache_ttl = ParseDuration(flags.prompt_cache_ttl).value();
  if (!flags.api_key.empty()) options.required_api_key = flags.api_key;
  options.batches.turnaround = ParseDuration(flags.batch_turnaround).value();
  options.batches.window = ParseDuration(flags.batch_window).value();
  return options;
}

}  // namespace

CLI::App* AddMockCommand(CLI::App& app, MockFlags& flags) {
  CLI::App* cmd = app.add_subcommand("mock", "Run the mock OpenAI-compatible provider");
  mock::MockOptions& o = flags.options;
  o.port = kDefaultMockPort;
  cmd->add_option("--host", o.host, "Address to bind")->capture_default_str();
  cmd->add_option("--port", o.port, "Port to bind; 0 picks a free one")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed for answers, latency jitter and faults")
      ->capture_default_str();
  cmd->add_option("--rpm", o.rpm, "Requests per minute per API key; 0 = unlimited")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--tpm", o.tpm, "Tokens per minute per API key; 0 = unlimited")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--itpm", o.itpm,
                  "Anthropic input tokens per minute per API key (/v1/messages); 0 = unlimited")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--otpm", o.otpm,
                  "Anthropic output tokens per minute per API key (/v1/messages); 0 = unlimited")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--ttfb", flags.time_to_first_byte, "Time to first byte (e.g. 300ms)")
      ->check(DurationValidator())
      ->capture_default_str();
  cmd->add_option("--per-token", flags.time_per_output_token,
                  "Added time per output token (e.g. 20ms)")
      ->check(DurationValidator())
      ->capture_default_str();
  cmd->add_option("--jitter", o.latency_jitter, "Latency jitter as a fraction (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--context-window", o.context_window,
                  "Tokens a request may hold (prompt + output cap); past it a 400 "
                  "context_length_exceeded; 0 = no window")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--prompt-cache-ttl", flags.prompt_cache_ttl,
                  "How long a cached prompt prefix lives after its last use (OpenAI chat)")
      ->check(DurationValidator())
      ->capture_default_str();
  cmd->add_option("--prompt-cache-blocks", o.prompt_cache_blocks,
                  "128-token prefix blocks the prompt cache holds, least recently used evicted; "
                  "0 = unbounded")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  AddFaultFlags(*cmd, o.faults);
  AddBatchFlags(*cmd, flags);
  cmd->add_flag_callback(
      "--no-limit-headers", [&o] { o.state_limits = false; },
      "Leave x-ratelimit-limit-* out of answers (clients must infer the limits)");
  cmd->add_flag_callback(
      "--compact-json", [&o] { o.indent_json = false; },
      "Answer with one-line JSON instead of OpenAI's indented JSON");
  cmd->add_flag("--record", o.record_requests,
                "Keep a line per request (arrival, answer, status, tokens) at GET /mock/requests");
  cmd->add_option("--api-key", flags.api_key, "Accept only this bearer token")
      ->envname("SLUICE_MOCK_API_KEY");
  return cmd;
}

int RunMockCommand(const MockFlags& flags, CommandContext& ctx) {
  mock::MockOptions options = ToOptions(flags);
  if (Status valid = mock::ValidateMockOptions(options); !valid.ok()) {
    ctx.err << "sluice mock: " << valid.message() << std::endl;
    return kExitUsage;
  }
  boost::asio::io_context io(1);
  std::unique_ptr<mock::MockProvider> provider;
  ShutdownOnSignal shutdown(
      io, [&provider](std::function<void()> done) { provider->Drain(std::move(done)); },
      kDrainLimit);
  auto started = mock::MockProvider::Start(io, options, SystemClock::Instance());
  if (!started.ok()) {
    ctx.err << "sluice: " << CannotListenMessage(options.host, options.port, started.status())
            << std::endl;
    return started.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  provider = std::move(started).value();
  ctx.out << ListeningLine(options.host, provider->port()) << std::endl;
  spdlog::info(
      "mock provider listening on http://{}:{} (seed {}, rpm {}, tpm {}, itpm {}, otpm {})",
      options.host, provider->port(), options.seed, options.rpm, options.tpm, options.itpm,
      options.otpm);
  io.run();
  return shutdown.forced() ? kExitFailure : kExitOk;
}

}  // namespace sluice::cli
