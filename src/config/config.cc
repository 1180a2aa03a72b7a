#include "config/config.h"

#include <array>
#include <sstream>
#include <utility>

namespace sluice::config {
namespace {

constexpr std::array<std::pair<ProviderKind, std::string_view>, 3> kProviderNames = {{
    {ProviderKind::kOpenAi, "openai"},
    {ProviderKind::kOpenAiCompatible, "openai-compatible"},
    {ProviderKind::kAnthropic, "anthropic"},
}};

constexpr std::array<std::pair<LogLevel, std::string_view>, 6> kLevelNames = {{
    {LogLevel::kTrace, "trace"},
    {LogLevel::kDebug, "debug"},
    {LogLevel::kInfo, "info"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"},
    {LogLevel::kOff, "off"},
}};

constexpr std::array<std::pair<BatchMode, std::string_view>, 3> kBatchModeNames = {{
    {BatchMode::kRealtime, "realtime"},
    {BatchMode::kProvider, "provider"},
    {BatchMode::kAuto, "auto"},
}};

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<std::pair<Enum, std::string_view>, N>& table,
                            std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

// "redis://user:secret@host/0" -> "redis://<redacted>@host/0": passwords stay out of logs.
std::string RedactUserInfo(const std::string& url) {
  auto scheme_end = url.find("://");
  auto at = url.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos || at < scheme_end) return url;
  return url.substr(0, scheme_end + 3) + "<redacted>" + url.substr(at);
}

}  // namespace

std::string_view ProviderKindName(ProviderKind kind) { return NameOf(kProviderNames, kind); }

std::optional<ProviderKind> ParseProviderKind(std::string_view name) {
  return ValueOf(kProviderNames, name);
}

std::string_view BatchModeName(BatchMode mode) { return NameOf(kBatchModeNames, mode); }

std::optional<BatchMode> ParseBatchMode(std::string_view name) {
  return ValueOf(kBatchModeNames, name);
}

BatchMode RunningMode(std::optional<BatchMode> requested, BatchMode fallback) {
  BatchMode mode = requested.value_or(fallback);
  return mode == BatchMode::kAuto ? BatchMode::kRealtime : mode;
}

std::string_view AllowedProviderKinds() { return "openai, openai-compatible, anthropic"; }

std::string_view LogLevelName(LogLevel level) { return NameOf(kLevelNames, level); }

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "warning") return LogLevel::kWarn;
  return ValueOf(kLevelNames, name);
}

std::string_view LogFormatName(LogFormat format) {
  return format == LogFormat::kJson ? "json" : "text";
}

std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return std::nullopt;
}

std::string HostPort::ToString() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::vector<std::string> Config::ModelNames() const {
  std::vector<std::string> names;
  names.reserve(models.size());
  for (const auto& m : models) names.push_back(m.name);
  return names;
}

Config DefaultConfig() { return Config{}; }

std::string BreakerSummary(const router::BreakerOptions& b) {
  auto ms = [](Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
  };
  std::ostringstream out;
  out << "{consecutive_failures: " << b.consecutive_failures
      << ", failure_ratio: " << b.failure_ratio << ", min_requests: " << b.min_requests
      << ", window: " << ms(b.window) << ", cooldown: " << ms(b.cooldown) << "}";
  return out.str();
}

std::string ToString(const Config& config) {
  std::ostringstream out;
  out << "listen: " << config.listen.ToString() << "\n";
  out << "max_connections: " << config.max_connections << "\n";
  out << "max_running_batches: " << config.max_running_batches << "\n";
  if (config.store.url.empty()) {
    out << "data_dir: " << config.store.data_dir << "\n";
  } else {
    out << "store: " << RedactUserInfo(config.store.url) << "\n";
  }
  out << "log_level: " << LogLevelName(config.log.level) << "\n";
  out << "log_format: " << LogFormatName(config.log.format) << "\n";
  out << "dedup: " << batch::DedupModeName(config.dedup) << "\n";
  out << "files: {max_upload_size: " << config.files.max_upload_bytes << "}\n";
  auto kept = [](const std::optional<Duration>& period) {
    if (!period) return std::string("never");
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*period).count()) + "s";
  };
  out << "retention: {batch_input_files: " << kept(config.retention.batch_input_files)
      << ", batch_output_files: " << kept(config.retention.batch_output_files)
      << ", sweep_interval: " << kept(config.retention.sweep_interval) << "}\n";
  out << "breaker: " << BreakerSummary(config.breaker) << "\n";
  out << "models:" << (config.models.empty() ? " []" : "") << "\n";
  for (const auto& m : config.models) {
    out << "  - name: " << m.name << "\n";
    out << "    routing: " << router::StrategyName(m.routing) << "\n    deployments:\n";
    for (const auto& d : m.deployments) {
      out << "      - provider: " << ProviderKindName(d.provider) << "\n";
      out << "        base_url: " << d.base_url << "\n";
      out << "        api_key: " << (d.api_key.empty() ? "<unset>" : "<set>") << "\n";
      out << "        model: " << d.model << "\n";
      out << "        rpm: " << d.rpm << "\n";
      if (d.provider == ProviderKind::kAnthropic) {
        out << "        itpm: " << d.itpm << "\n";
        out << "        otpm: " << d.otpm << "\n";
        out << "        max_tokens: " << d.max_tokens << "\n";
      } else {
        out << "        tpm: " << d.tpm << "\n";
      }
      out << "        max_in_flight: " << d.max_in_flight << "\n";
      out << "        weight: " << d.weight << "\n";
      out << "        priority: " << d.priority << "\n";
      if (d.prices) {
        out << "        prices: {input: " << d.prices->input
            << ", cached_input: " << d.prices->cached_input << ", output: " << d.prices->output
            << "}\n";
      }
      out << "        breaker: " << BreakerSummary(d.breaker) << "\n";
    }
    if (!m.fallbacks.empty()) out << "    fallbacks:\n";
    for (const auto& f : m.fallbacks) {
      out << "      - model: " << f.model << "\n        on: [";
      for (std::size_t i = 0; i < f.on.size(); ++i) {
        out << (i ? ", " : "") << FallbackClassName(f.on[i]);
      }
      out << "]\n";
    }
  }
  out << "keys:" << (config.keys.empty() ? " []" : "") << "\n";
  for (const auto& k : config.keys) {
    out << "  - name: " << k.name << "\n    key: <set>\n";
    out << "    rpm: " << k.rpm << "\n    tpm: " << k.tpm << "\n";
    if (!k.webhook_url.empty()) out << "    webhook_url: " << k.webhook_url << "\n";
    if (k.admin) out << "    admin: true\n";
  }
  if (!config.webhooks.secret.empty()) out << "webhooks:\n  secret: <set>\n";
  return out.str();
}

}  // namespace sluice::config
