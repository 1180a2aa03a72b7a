// Config: the gateway's whole configuration as immutable per-module option structs, built once at
// start by ParseConfig / LoadConfigFile (config_parser.h) or DefaultConfig(). Plain value types:
// build once, then share by const reference (or shared_ptr<const Config>) across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batch/dedup.h"
#include "common/clock.h"
#include "common/fallback_class.h"
#include "cost/budget.h"
#include "cost/prices.h"
#include "router/circuit_breaker.h"
#include "router/strategy.h"

namespace sluice::config {

enum class ProviderKind { kOpenAi, kOpenAiCompatible, kAnthropic };

// "openai", "openai-compatible", "anthropic".
std::string_view ProviderKindName(ProviderKind kind);
// The kind named `name` (exact, lower case); nullopt for anything else.
std::optional<ProviderKind> ParseProviderKind(std::string_view name);
// "openai, openai-compatible, anthropic": for error messages.
std::string_view AllowedProviderKinds();

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };
enum class LogFormat { kText, kJson };

// "trace", "debug", "info", "warn", "error", "off"; ParseLogLevel also takes "warning".
std::string_view LogLevelName(LogLevel level);
std::optional<LogLevel> ParseLogLevel(std::string_view name);
// "text", "json".
std::string_view LogFormatName(LogFormat format);
std::optional<LogFormat> ParseLogFormat(std::string_view name);

// An address to bind: an IP literal (IPv6 without brackets) and a port; port 0 means any free port.
struct HostPort {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;

  // "127.0.0.1:8080", "[::1]:8080".
  std::string ToString() const;
};

// One upstream that can serve a model: a provider account with its own limits.
struct DeploymentConfig {
  ProviderKind provider = ProviderKind::kOpenAi;
  // Where requests go. Defaults: https://api.openai.com/v1 (openai), https://api.anthropic.com
  // (anthropic); required for openai-compatible.
  std::string base_url;
  // Secret. Required for openai and anthropic, optional for openai-compatible. Never printed.
  std::string api_key;
  std::string model;  // the provider's own model name; defaults to the model's name
  // Requests and tokens per minute granted by the provider; 0 (the default): learn them from the
  // provider's answers. A configured limit is a starting point the provider's headers correct.
  std::int64_t rpm = 0;
  std::int64_t tpm = 0;   // openai and openai-compatible only
  std::int64_t itpm = 0;  // anthropic only: input tokens per minute (cache reads not counted)
  std::int64_t otpm = 0;  // anthropic only: output tokens per minute
  // anthropic only: the max_tokens sent when a request states no output cap (Anthropic requires
  // one).
  std::int64_t max_tokens = 4096;
  std::int64_t max_in_flight = 64;               // concurrent requests to this deployment (> 0)
  Duration timeout = std::chrono::seconds(120);  // one attempt, end to end ("30s", "2m")
  // Routing among the model's deployments (router/strategy.h): `weighted` shares by weight (>= 1),
  // `ordered` fills the lowest priority tier first (>= 0).
  std::int64_t weight = 1;
  std::int64_t priority = 0;
  // This deployment's prices, over the model's, for `cheapest` routing (cost reports use the
  // model's prices); unset: the model's.
  std::optional<cost::Prices> prices;
  // When it stops receiving requests: the config's `breaker:`, with this deployment's own
  // `breaker:` keys over it.
  router::BreakerOptions breaker{};
};

// A model to try instead when a request's final answer from this one is of a class in `on`.
struct FallbackConfig {
  std::string model;               // another configured model
  std::vector<FallbackClass> on;   // at least one, each once
};

// A model name clients ask for, and the deployments that serve it (at least one).
struct ModelConfig {
  std::string name;
  std::vector<DeploymentConfig> deployments;
  std::optional<cost::Prices> prices;  // unset: costs are not reported
  // How a request picks among the deployments (routing: expected-finish, weighted, cheapest,
  // ordered).
  router::Strategy routing = router::Strategy::kExpectedFinish;
  // Tried in order, each at most once per request; a fallback's own fallbacks follow it. No
  // chain of fallbacks leads back to a model on it.
  std::vector<FallbackConfig> fallbacks;
};

struct StoreConfig {
  std::string data_dir = "./sluice-data";  // the embedded store's directory
  std::string url;  // empty: embedded store in data_dir; else "redis://host:port/db"
};

struct LogOptions {
  LogLevel level = LogLevel::kInfo;
  LogFormat format = LogFormat::kText;
};

// How upstream failures that may pass are retried (retry/RetryPolicy): full-jitter backoff that
// starts at base_delay and doubles up to max_delay, never before the provider's own hint.
struct RetryConfig {
  std::int64_t max_attempts = 10;  // attempts in all, the first included (> 0)
  Duration base_delay = std::chrono::milliseconds(500);
  Duration max_delay = std::chrono::seconds(60);
};

// A key clients of the gateway authenticate with ("Authorization: Bearer <key>"), and the tenant
// it stands for. The key is a secret: never logged, printed or used as a metric label.
struct GatewayKey {
  std::string name;      // the tenant: unique, 1-64 of [A-Za-z0-9._-]; shows in logs and metrics
  std::string key;       // unique, at least kMinGatewayKeyLength printable characters, no spaces
  std::int64_t rpm = 0;  // this key's requests per minute; 0: no quota
  std::int64_t tpm = 0;  // this key's tokens per minute; 0: no quota
  std::string webhook_url;  // where this tenant's batch webhooks go; empty: none
  // An operator's key: it sees and cancels every tenant's batches and files (the dashboard's
  // view of the whole gateway); what it creates is still its own tenant's.
  bool admin = false;
  // What the key may spend per UTC day and calendar month over its batches and interactive
  // requests (max_cost_usd_per_day, max_cost_usd_per_month); unset: no cap.
  cost::KeyLimits budget = {};
};

// Shorter keys are refused: a gateway key guards paid provider accounts, and a short one is
// guessable. `openssl rand -hex 24` makes a good one.
inline constexpr std::size_t kMinGatewayKeyLength = 16;

// The Files API of `sluice serve`.
struct FilesConfig {
  // The largest file an upload may carry (files.max_upload_size: "200MB", "1GiB" or bytes).
  std::int64_t max_upload_bytes = 200'000'000;
};

// How long `sluice serve` keeps files nobody asked to expire, and how often it removes expired
// ones (retention:). An upload's expires_after and a batch's output_expires_after win over these.
struct RetentionConfig {
  // purpose=batch uploads (retention.batch_input_files); unset ("never"): until deleted. OpenAI's
  // default, 30 days. Uploads of other purposes are kept until deleted, as at OpenAI.
  std::optional<Duration> batch_input_files = std::chrono::hours(24 * 30);
  // A batch's output and error files (retention.batch_output_files); unset ("never"): until
  // deleted. OpenAI's default, 30 days.
  std::optional<Duration> batch_output_files = std::chrono::hours(24 * 30);
  // How often expired files are looked for and removed (retention.sweep_interval).
  Duration sweep_interval = std::chrono::minutes(1);
};

// The real-time endpoints of `sluice serve`.
struct ProxyConfig {
  // How long a request waits for room on a deployment before it is answered 429 (proxy.max_wait).
  Duration max_wait = std::chrono::seconds(10);
  // How long a stream may go without a byte from upstream before it is cut
  // (proxy.stream_idle_timeout). A stream is not bound by the deployment's `timeout`, so a long
  // generation that keeps sending is never cut.
  Duration stream_idle_timeout = std::chrono::seconds(60);
};

// Webhooks sent when batches end (webhooks:), signed per Standard Webhooks with `secret`, retried
// with backoff from base_delay (doubling up to max_delay) until give_up_after has passed. Where
// they go: a gateway key's webhook_url, or a batch's metadata.webhook_url.
struct WebhooksConfig {
  std::string secret;  // "whsec_<base64>"; empty: webhooks are off. Secret: never printed.
  Duration base_delay = std::chrono::seconds(5);
  Duration max_delay = std::chrono::hours(1);
  Duration give_up_after = std::chrono::hours(24);
};

// How a batch is run: real time through the dispatcher, through the provider's own batch API
// (OpenAI's Files + Batches, Anthropic's Message Batches: half price, within 24 h), or chosen per
// batch (auto).
enum class BatchMode { kRealtime, kProvider, kAuto };
// "realtime", "provider", "auto".
std::string_view BatchModeName(BatchMode mode);
std::optional<BatchMode> ParseBatchMode(std::string_view name);
inline constexpr std::string_view kAllowedBatchModes = "realtime, provider, auto";
// The mode a batch runs in: `requested` (the batch's own), else `fallback` (batch_mode); auto
// runs real time until its decision is wired in.
BatchMode RunningMode(std::optional<BatchMode> requested, BatchMode fallback);

// How `provider` mode uses the providers' batch APIs (provider_batches:).
struct ProviderBatchConfig {
  // Lines and bytes of one provider batch; 0: the provider's own limit (OpenAI 50,000 lines and
  // 200 MB per file, Anthropic 100,000 requests and 256 MB). Smaller values split sooner.
  std::int64_t max_lines = 0;
  std::int64_t max_bytes = 0;
  // Estimated prompt tokens a deployment may have in open provider batches at once (OpenAI's
  // enqueued-token limit); 0: no limit. A batch bigger than it is sent in turns.
  std::int64_t max_enqueued_tokens = 0;
  // The first poll of a provider batch comes after poll_interval; each further one waits twice
  // as long, up to max_poll_interval.
  Duration poll_interval = std::chrono::seconds(5);
  Duration max_poll_interval = std::chrono::minutes(5);
  // A provider batch not ended this long after its creation is cancelled upstream; its lines
  // are sent again (or fail with batch_expired after max_submissions).
  Duration max_wait = std::chrono::hours(25);
  // How often a line may be sent in a provider batch (again after it came back expired, with a
  // retryable error, or in a batch the provider lost) before it ends with its last error.
  std::int64_t max_submissions = 3;
  // A provider batch still unfinished when real time would need all but this margin (plus 20%)
  // of the time left before the batch's deadline moves its unfinished lines to real time.
  Duration move_margin = std::chrono::minutes(5);
};

struct Config {
  HostPort listen;
  // How batches run unless a batch says (metadata.sluice_mode, --mode): batch_mode.
  BatchMode batch_mode = BatchMode::kRealtime;
  ProviderBatchConfig provider_batches;
  // Client connections `sluice serve` holds open at most (max_connections); beyond it a new
  // connection is answered 503 and closed. Keep it below the process's file descriptor limit.
  int max_connections = 1000;
  // Batches `sluice serve` drives at once (max_running_batches); the others wait their turn,
  // highest metadata priority first, then oldest first.
  int max_running_batches = 8;
  StoreConfig store;
  LogOptions log;
  RetryConfig retry;
  FilesConfig files;
  RetentionConfig retention;
  ProxyConfig proxy;
  WebhooksConfig webhooks;
  // Every deployment's circuit breaker unless it sets its own keys (breaker:).
  router::BreakerOptions breaker{};
  // Which lines of a batch share an identical earlier line's answer instead of being sent (dedup:
  // off | auto | always); a batch's metadata.sluice_dedup (sluice run: --dedup) overrides it.
  batch::DedupMode dedup = batch::DedupMode::kAuto;
  std::vector<ModelConfig> models;  // model names are unique
  std::vector<GatewayKey> keys;     // empty: open mode, loopback only (listen_check.h)

  // The configured model names, in file order.
  std::vector<std::string> ModelNames() const;
};

// The configuration used when no file is given: listen on 127.0.0.1:8080, embedded store in
// ./sluice-data, no models, no gateway keys, info-level text logs.
Config DefaultConfig();

// "{consecutive_failures: 5, failure_ratio: 0.5, min_requests: 20, window: 30000ms, cooldown:
// 5000ms}".
std::string BreakerSummary(const router::BreakerOptions& breaker);

// A readable multi-line summary for logs and `--help`-style output. API keys are shown only as
// "<set>" or "<unset>", never their value; gateway keys by their names only.
std::string ToString(const Config& config);

}  // namespace sluice::config
