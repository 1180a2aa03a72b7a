#include "config/config_parser.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "common/duration.h"
#include "config/fallbacks_reader.h"
#include "config/gateway_keys_reader.h"
#include "config/routing_reader.h"
#include "config/value_parsers.h"
#include "config/yaml_reader.h"
#include "webhooks/signature.h"
#include "webhooks/webhook_url.h"

namespace sluice::config {
namespace {

std::string DefaultBaseUrl(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::kOpenAi:
      return "https://api.openai.com/v1";
    case ProviderKind::kAnthropic:
      return "https://api.anthropic.com";
    case ProviderKind::kOpenAiCompatible:
      break;
  }
  return "";
}

// Reads `provider` and fills in the defaults that depend on it; false if it is missing or bad.
bool ReadProvider(YamlReader& r, const YAML::Node& node, DeploymentConfig& d) {
  std::optional<Scalar> provider = r.String(node, "provider", Need::kRequired, "deployment");
  if (!provider) return false;
  std::optional<ProviderKind> kind = ParseProviderKind(provider->text);
  if (!kind) {
    r.Problem(provider->mark, "unknown provider '" + provider->text +
                                  "' (allowed: " + std::string(AllowedProviderKinds()) + ")");
    return false;
  }
  d.provider = *kind;
  d.base_url = DefaultBaseUrl(*kind);
  return true;
}

void ReadEndpoint(YamlReader& r, const YAML::Node& node, bool known_provider, DeploymentConfig& d) {
  bool compatible = known_provider && d.provider == ProviderKind::kOpenAiCompatible;
  Need url_need = compatible ? Need::kRequired : Need::kOptional;
  if (auto url = r.String(node, "base_url", url_need, "openai-compatible deployment")) {
    if (Status s = ValidateHttpUrl(url->text); !s.ok()) {
      r.Problem(url->mark, "base_url: " + s.message());
    }
    d.base_url = url->text;
  }
  Need key_need = known_provider && !compatible ? Need::kRequired : Need::kOptional;
  std::string what = std::string(ProviderKindName(d.provider)) + " deployment";
  if (auto key = r.String(node, "api_key", key_need, what)) {
    if (key->text.empty() && key_need == Need::kRequired) {
      r.Problem(key->mark, "api_key is empty");
    }
    d.api_key = std::move(key->text);
  }
}

// A duration above zero at `key` of `node`, if present and valid.
std::optional<Duration> ReadDuration(YamlReader& r, const YAML::Node& node, std::string_view key,
                                     std::string_view what) {
  return r.PositiveDuration(node, key, Need::kOptional, what);
}

// tpm for OpenAI and compatible servers; itpm, otpm and max_tokens for Anthropic, which meters
// input and output apart and requires an output cap. A key of the other kind is a problem, not
// ignored: a limit that silently does nothing would be worse than none.
void ReadTokenLimits(YamlReader& r, const YAML::Node& node, DeploymentConfig& d) {
  bool anthropic = d.provider == ProviderKind::kAnthropic;
  std::string kind(ProviderKindName(d.provider));
  for (std::string_view key : {"tpm", "itpm", "otpm", "max_tokens"}) {
    bool anthropic_key = key != "tpm";
    if (!node[std::string(key)] || anthropic_key == anthropic) continue;
    r.Problem(node[std::string(key)].Mark(),
              anthropic ? "tpm is for openai deployments; anthropic meters input and output "
                          "tokens apart: set itpm and otpm"
                        : std::string(key) + " is for anthropic deployments; " + kind +
                              " deployments take tpm");
  }
  if (auto tpm = r.NonNegativeInt(node, "tpm", Need::kOptional, "deployment")) d.tpm = *tpm;
  if (auto itpm = r.NonNegativeInt(node, "itpm", Need::kOptional, "deployment")) d.itpm = *itpm;
  if (auto otpm = r.NonNegativeInt(node, "otpm", Need::kOptional, "deployment")) d.otpm = *otpm;
  if (auto cap = r.PositiveInt(node, "max_tokens", Need::kOptional, "deployment")) {
    d.max_tokens = *cap;
  }
}

std::optional<cost::Prices> ReadPrices(YamlReader& r, const YAML::Node& node);

DeploymentConfig ReadDeployment(YamlReader& r, const YAML::Node& node, const std::string& name,
                                const router::BreakerOptions& breaker) {
  DeploymentConfig d;
  d.model = name;
  if (!r.CheckMap(node, "a deployment",
                  {"provider", "base_url", "api_key", "model", "rpm", "tpm", "itpm", "otpm",
                   "max_tokens", "max_in_flight", "timeout", "weight", "priority", "prices",
                   "breaker"})) {
    return d;
  }
  d.prices = ReadPrices(r, node);
  ReadDeploymentRouting(r, node, breaker, d);
  bool known_provider = ReadProvider(r, node, d);
  ReadEndpoint(r, node, known_provider, d);
  if (auto model = r.String(node, "model", Need::kOptional, "deployment")) d.model = model->text;
  if (auto rpm = r.NonNegativeInt(node, "rpm", Need::kOptional, "deployment")) d.rpm = *rpm;
  if (known_provider) ReadTokenLimits(r, node, d);
  if (auto timeout = ReadDuration(r, node, "timeout", "deployment")) d.timeout = *timeout;
  if (auto limit = r.PositiveInt(node, "max_in_flight", Need::kOptional, "deployment")) {
    d.max_in_flight = *limit;
  }
  return d;
}

// A price: a decimal number of dollars per million tokens, >= 0.
std::optional<double> ReadPrice(YamlReader& r, const YAML::Node& node, std::string_view key) {
  auto text = r.String(node, key, Need::kOptional, "prices");
  if (!text) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text->text.c_str(), &end);
  if (text->text.empty() || end != text->text.c_str() + text->text.size() || !(value >= 0) ||
      value > 1e6) {
    r.Problem(text->mark, std::string(key) + ": expected dollars per million tokens such as " +
                              "0.15, got '" + text->text + "'");
    return std::nullopt;
  }
  return value;
}

// `prices:` of a model or a deployment.
std::optional<cost::Prices> ReadPrices(YamlReader& r, const YAML::Node& owner) {
  std::optional<YAML::Node> node = r.Child(owner, "prices");
  if (!node || !r.CheckMap(*node, "prices", {"input", "cached_input", "output"})) {
    return std::nullopt;
  }
  cost::Prices prices;
  prices.input = ReadPrice(r, *node, "input").value_or(0);
  // Without a cached rate, cached tokens cost what other prompt tokens cost.
  prices.cached_input = ReadPrice(r, *node, "cached_input").value_or(prices.input);
  prices.output = ReadPrice(r, *node, "output").value_or(0);
  return prices;
}

ModelConfig ReadModel(YamlReader& r, const YAML::Node& node, const router::BreakerOptions& breaker) {
  ModelConfig model;
  if (!r.CheckMap(node, "a model", {"name", "deployments", "prices", "routing", "fallbacks"})) {
    return model;
  }
  model.prices = ReadPrices(r, node);
  if (auto name = r.String(node, "name", Need::kRequired, "model")) {
    if (name->text.empty()) r.Problem(name->mark, "model name is empty");
    model.name = name->text;
  }
  std::optional<YAML::Node> list = r.Sequence(node, "deployments", Need::kRequired, "model");
  if (!list) return model;
  if (list->size() == 0) r.Problem(list->Mark(), "model '" + model.name + "' has no deployments");
  for (const auto& entry : *list) {
    model.deployments.push_back(ReadDeployment(r, entry, model.name, breaker));
  }
  ReadModelRouting(r, node, model);
  return model;
}

void ReadModels(YamlReader& r, const YAML::Node& root, Config& config) {
  std::optional<YAML::Node> list = r.Sequence(root, "models", Need::kOptional, "the config");
  if (!list) return;
  std::map<std::string, YAML::Mark> first_seen;
  FallbackMarks fallback_marks;
  for (const auto& entry : *list) {
    ModelConfig model = ReadModel(r, entry, config.breaker);
    if (model.name.empty()) continue;
    // ReadModel found a name, so the entry is a map with a "name" key.
    YAML::Mark name_mark = r.Child(entry, "name")->Mark();
    auto [it, inserted] = first_seen.emplace(model.name, name_mark);
    if (!inserted) {
      r.Problem(name_mark, "duplicate model name '" + model.name + "' (first defined at " +
                               r.Location(it->second) + ")");
      continue;
    }
    model.fallbacks = ReadFallbacks(r, entry, model.name, fallback_marks);
    config.models.push_back(std::move(model));
  }
  CheckFallbackGraph(r, config.models, fallback_marks);
}

void ReadTopLevelScalars(YamlReader& r, const YAML::Node& root, Config& config) {
  const std::string_view what = "the config";
  if (auto listen = r.String(root, "listen", Need::kOptional, what)) {
    Result<HostPort> address = ParseHostPort(listen->text);
    if (address.ok()) {
      config.listen = *address;
    } else {
      r.Problem(listen->mark, "listen: " + address.status().message());
    }
  }
  if (auto n = r.PositiveInt(root, "max_connections", Need::kOptional, what)) {
    config.max_connections = *n;
  }
  if (auto n = r.PositiveInt(root, "max_running_batches", Need::kOptional, what)) {
    config.max_running_batches = *n;
  }
  if (auto mode = r.String(root, "batch_mode", Need::kOptional, what)) {
    if (auto parsed = ParseBatchMode(mode->text)) {
      config.batch_mode = *parsed;
    } else {
      r.Problem(mode->mark, "unknown batch_mode '" + mode->text +
                                "' (allowed: " + std::string(kAllowedBatchModes) + ")");
    }
  }
  if (auto dir = r.String(root, "data_dir", Need::kOptional, what)) {
    if (dir->text.empty()) r.Problem(dir->mark, "data_dir is empty");
    config.store.data_dir = dir->text;
  }
  if (auto store = r.String(root, "store", Need::kOptional, what)) {
    if (Status s = ValidateStoreUrl(store->text); !s.ok())
      r.Problem(store->mark, "store: " + s.message());
    config.store.url = store->text;
  }
  if (auto level = r.String(root, "log_level", Need::kOptional, what)) {
    if (auto parsed = ParseLogLevel(level->text)) {
      config.log.level = *parsed;
    } else {
      r.Problem(level->mark, "unknown log_level '" + level->text +
                                 "' (allowed: trace, debug, info, warn, error, off)");
    }
  }
  if (auto dedup = r.String(root, "dedup", Need::kOptional, what)) {
    if (auto parsed = batch::ParseDedupMode(dedup->text)) {
      config.dedup = *parsed;
    } else {
      r.Problem(dedup->mark, "unknown dedup '" + dedup->text + "' (allowed: off, auto, always)");
    }
  }
  if (auto format = r.String(root, "log_format", Need::kOptional, what)) {
    if (auto parsed = ParseLogFormat(format->text)) {
      config.log.format = *parsed;
    } else {
      r.Problem(format->mark, "unknown log_format '" + format->text + "' (allowed: text, json)");
    }
  }
}

void ReadRetry(YamlReader& r, const YAML::Node& root, Config& config) {
  std::optional<YAML::Node> node = r.Child(root, "retry");
  if (!node || !r.CheckMap(*node, "retry", {"max_attempts", "base_delay", "max_delay"})) return;
  if (auto n = r.PositiveInt(*node, "max_attempts", Need::kOptional, "retry")) {
    config.retry.max_attempts = *n;
  }
  if (auto d = ReadDuration(r, *node, "base_delay", "retry")) config.retry.base_delay = *d;
  if (auto d = ReadDuration(r, *node, "max_delay", "retry")) config.retry.max_delay = *d;
}

void ReadFiles(YamlReader& r, const YAML::Node& root, Config& config) {
  std::optional<YAML::Node> node = r.Child(root, "files");
  if (!node || !r.CheckMap(*node, "files", {"max_upload_size"})) return;
  if (auto size = r.String(*node, "max_upload_size", Need::kOptional, "files")) {
    Result<std::int64_t> bytes = ParseByteSize(size->text);
    if (bytes.ok()) {
      config.files.max_upload_bytes = *bytes;
    } else {
      r.Problem(size->mark, "max_upload_size: " + bytes.status().message());
    }
  }
}

// A retention period at `key`: "never" (nullopt) or a duration above zero; `fallback` when the
// key is absent or wrong.
std::optional<Duration> ReadRetention(YamlReader& r, const YAML::Node& node, std::string_view key,
                                      std::optional<Duration> fallback) {
  auto text = r.String(node, key, Need::kOptional, "retention");
  if (!text) return fallback;
  if (text->text == "never") return std::nullopt;
  Result<Duration> parsed = ParseDuration(text->text);
  if (!parsed.ok() || *parsed <= Duration::zero()) {
    r.Problem(text->mark, std::string(key) +
                              ": expected never or a duration above zero such as 720h, got '" +
                              text->text + "'");
    return fallback;
  }
  return *parsed;
}

void ReadRetention(YamlReader& r, const YAML::Node& root, Config& config) {
  std::optional<YAML::Node> node = r.Child(root, "retention");
  if (!node || !r.CheckMap(*node, "retention",
                           {"batch_input_files", "batch_output_files", "sweep_interval"})) {
    return;
  }
  RetentionConfig& retention = config.retention;
  retention.batch_input_files =
      ReadRetention(r, *node, "batch_input_files", retention.batch_input_files);
  retention.batch_output_files =
      ReadRetention(r, *node, "batch_output_files", retention.batch_output_files);
  if (auto d = ReadDuration(r, *node, "sweep_interval", "retention")) {
    retention.sweep_interval = *d;
  }
}

void ReadProxy(YamlReader& r, const YAML::Node& root, Config& config) {
  std::optional<YAML::Node> node = r.Child(root, "proxy");
  if (!node || !r.CheckMap(*node, "proxy", {"max_wait", "stream_idle_timeout"})) return;
  if (auto d = ReadDuration(r, *node, "max_wait", "proxy")) config.proxy.max_wait = *d;
  if (auto d = ReadDuration(r, *node, "stream_idle_timeout", "proxy")) {
    config.proxy.stream_idle_timeout = *d;
  }
}

void ReadProviderBatches(YamlReader& r, const YAML::Node& root, Config& config) {
  const std::string_view what = "provider_batches";
  std::optional<YAML::Node> node = r.Child(root, "provider_batches");
  if (!node || !r.CheckMap(*node, what,
                           {"max_lines", "max_size", "max_enqueued_tokens", "poll_interval",
                            "max_poll_interval", "max_wait", "max_submissions", "move_margin"})) {
    return;
  }
  ProviderBatchConfig& p = config.provider_batches;
  if (auto n = r.PositiveInt(*node, "max_lines", Need::kOptional, what)) p.max_lines = *n;
  if (auto size = r.String(*node, "max_size", Need::kOptional, what)) {
    Result<std::int64_t> bytes = ParseByteSize(size->text);
    if (bytes.ok()) {
      p.max_bytes = *bytes;
    } else {
      r.Problem(size->mark, "max_size: " + bytes.status().message());
    }
  }
  if (auto n = r.NonNegativeInt(*node, "max_enqueued_tokens", Need::kOptional, what)) {
    p.max_enqueued_tokens = *n;
  }
  if (auto d = ReadDuration(r, *node, "poll_interval", what)) p.poll_interval = *d;
  if (auto d = ReadDuration(r, *node, "max_poll_interval", what)) p.max_poll_interval = *d;
  if (auto d = ReadDuration(r, *node, "max_wait", what)) p.max_wait = *d;
  if (auto d = ReadDuration(r, *node, "move_margin", what)) p.move_margin = *d;
  if (auto n = r.PositiveInt(*node, "max_submissions", Need::kOptional, what)) {
    p.max_submissions = *n;
  }
}

// webhooks: and the keys' webhook_url, once listen and keys are read: a URL must be http(s) and
// not the gateway itself, and needs the secret.
void ReadWebhooks(YamlReader& r, const YAML::Node& root, Config& config) {
  std::optional<YAML::Node> node = r.Child(root, "webhooks");
  if (node && r.CheckMap(*node, "webhooks", {"secret", "base_delay", "max_delay", "give_up_after"})) {
    WebhooksConfig& hooks = config.webhooks;
    if (auto secret = r.String(*node, "secret", Need::kRequired, "webhooks")) {
      if (auto key = sluice::webhooks::DecodeSecret(secret->text); !key.ok()) {
        r.Problem(secret->mark, "secret: " + key.status().message());
      }
      hooks.secret = secret->text;
    }
    if (auto d = ReadDuration(r, *node, "base_delay", "webhooks")) hooks.base_delay = *d;
    if (auto d = ReadDuration(r, *node, "max_delay", "webhooks")) hooks.max_delay = *d;
    if (auto d = ReadDuration(r, *node, "give_up_after", "webhooks")) hooks.give_up_after = *d;
  }
  std::optional<YAML::Node> keys = r.Child(root, "keys");
  if (!keys || !keys->IsSequence()) return;
  for (const auto& entry : *keys) {
    if (!entry.IsMap() || !entry["webhook_url"]) continue;
    auto url = r.String(entry, "webhook_url", Need::kOptional, "key");
    if (!url) continue;
    if (auto problem = sluice::webhooks::WebhookUrlProblem(url->text, config.listen.host, config.listen.port)) {
      r.Problem(url->mark, "webhook_url: " + *problem);
    } else if (config.webhooks.secret.empty()) {
      r.Problem(url->mark, "webhook_url needs webhooks.secret (the key the webhooks are signed "
                           "with; make one with: echo whsec_$(openssl rand -base64 32))");
    }
  }
}

Result<Config> BuildConfig(const YAML::Node& root, std::string_view source_name,
                           const EnvLookup& env) {
  Config config = DefaultConfig();
  if (root.IsNull()) return config;
  YamlReader r{std::string(source_name), env};
  if (r.CheckMap(root, "the config",
                 {"listen", "max_connections", "max_running_batches", "data_dir", "store",
                  "log_level", "log_format", "retry", "files", "retention", "proxy", "webhooks",
                  "breaker", "models", "keys", "dedup", "batch_mode", "provider_batches"})) {
    ReadTopLevelScalars(r, root, config);
    ReadRetry(r, root, config);
    ReadFiles(r, root, config);
    ReadRetention(r, root, config);
    ReadProxy(r, root, config);
    ReadProviderBatches(r, root, config);
    config.breaker = ReadBreaker(r, root, config.breaker);  // before the models: their defaults
    ReadModels(r, root, config);
    config.keys = ReadGatewayKeys(r, root);
    ReadWebhooks(r, root, config);
  }
  if (r.problems().empty()) return config;
  std::string message;
  for (const std::string& p : r.problems()) message += (message.empty() ? "" : "\n") + p;
  return InvalidArgumentError(std::move(message));
}

}  // namespace

Result<Config> ParseConfig(std::string_view yaml, std::string_view source_name,
                           const EnvLookup& env) {
  // yaml-cpp reports syntax errors (and, in principle, misuse) by throwing; this is the boundary.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return BuildConfig(root, source_name, env);
  } catch (const YAML::Exception& e) {
    YamlReader r{std::string(source_name), env};
    return InvalidArgumentError(r.Location(e.mark) + ": YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    return InternalError(std::string(source_name) + ": cannot read config: " + e.what());
  }
}

Result<Config> LoadConfigFile(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    std::string message = "cannot open config file " + path + ": " + std::strerror(error);
    if (error == ENOENT) return NotFoundError(std::move(message));
    return FailedPreconditionError(std::move(message));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return FailedPreconditionError("cannot read config file " + path);
  return ParseConfig(contents.str(), path, env);
}

}  // namespace sluice::config
