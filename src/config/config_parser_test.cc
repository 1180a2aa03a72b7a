#include "config/config_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace sluice::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

constexpr std::string_view kValid = R"(listen: 127.0.0.1:9090
data_dir: ./data
log_level: debug
log_format: json
models:
  - name: gpt-4o-mini
    deployments:
      - provider: openai
        base_url: https://api.openai.com/v1
        api_key: ${OPENAI_API_KEY}
        model: gpt-4o-mini-2024-07-18
        rpm: 500
        tpm: 200000
      - provider: openai-compatible
        base_url: http://127.0.0.1:8081/v1
        rpm: 60
        tpm: 1000
        max_in_flight: 8
  - name: claude
    deployments:
      - provider: anthropic
        api_key: ${ANTHROPIC_API_KEY}
        model: claude-sonnet-4-5
        rpm: 50
        itpm: 30000
        otpm: 8000
)";

EnvLookup KeysSet() { return FakeEnv({{"OPENAI_API_KEY", "sk-1"}, {"ANTHROPIC_API_KEY", "ak-2"}}); }

// The error message of parsing `yaml` as "sluice.yaml"; empty if it parsed.
std::string ErrorOf(std::string_view yaml, const EnvLookup& env) {
  Result<Config> config = ParseConfig(yaml, "sluice.yaml", env);
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  return config.status().message();
}

std::string ErrorOf(std::string_view yaml) { return ErrorOf(yaml, KeysSet()); }

TEST(ConfigParserTest, ParsesValidFileWithEveryKey) {
  Result<Config> config = ParseConfig(kValid, "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen.host, "127.0.0.1");
  EXPECT_EQ(config->listen.port, 9090);
  EXPECT_EQ(config->store.data_dir, "./data");
  EXPECT_EQ(config->log.level, LogLevel::kDebug);
  EXPECT_EQ(config->log.format, LogFormat::kJson);
  ASSERT_EQ(config->models.size(), 2u);
  const ModelConfig& mini = config->models[0];
  EXPECT_EQ(mini.name, "gpt-4o-mini");
  ASSERT_EQ(mini.deployments.size(), 2u);
  EXPECT_EQ(mini.deployments[0].provider, ProviderKind::kOpenAi);
  EXPECT_EQ(mini.deployments[0].api_key, "sk-1");
  EXPECT_EQ(mini.deployments[0].model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(mini.deployments[0].rpm, 500);
  EXPECT_EQ(mini.deployments[0].tpm, 200000);
  EXPECT_EQ(mini.deployments[0].max_in_flight, 64);
  EXPECT_EQ(mini.deployments[1].provider, ProviderKind::kOpenAiCompatible);
  EXPECT_EQ(mini.deployments[1].api_key, "");
  EXPECT_EQ(mini.deployments[1].model, "gpt-4o-mini");
  EXPECT_EQ(mini.deployments[1].max_in_flight, 8);
  EXPECT_EQ(config->models[1].deployments[0].base_url, "https://api.anthropic.com");
  EXPECT_EQ(config->ModelNames(), (std::vector<std::string>{"gpt-4o-mini", "claude"}));
}

TEST(ConfigParserTest, EmptyDocumentIsTheDefaultConfig) {
  Result<Config> config = ParseConfig("", "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen.ToString(), DefaultConfig().listen.ToString());
  EXPECT_TRUE(config->models.empty());
}

TEST(ConfigParserTest, AcceptsPortZeroAndIpv6Listen) {
  Result<Config> any = ParseConfig("listen: 127.0.0.1:0\n", "s.yaml", KeysSet());
  ASSERT_TRUE(any.ok()) << any.status();
  EXPECT_EQ(any->listen.port, 0);
  Result<Config> v6 = ParseConfig("listen: '[::1]:8080'\n", "s.yaml", KeysSet());
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->listen.host, "::1");
}

TEST(ConfigParserTest, MissingEnvironmentVariableNamesItAndItsLocation) {
  std::string error = ErrorOf(kValid, FakeEnv({{"ANTHROPIC_API_KEY", "x"}}));
  EXPECT_EQ(error, "sluice.yaml:10:18: environment variable OPENAI_API_KEY is not set");
}

TEST(ConfigParserTest, AValueWithLineBreaksKeepsItsProblemOnOneLine) {
  Result<Config> config = ParseConfig("log_level: \"lo\\ngs\\r\"\n", "s.yaml", KeysSet());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().find('\n'), std::string::npos) << config.status();
  EXPECT_NE(config.status().message().find("lo\\ngs\\r"), std::string::npos) << config.status();
}

TEST(ConfigParserTest, NonPositiveOrNonIntegerLimitsAreErrors) {
  const std::string yaml = R"(models:
  - name: m
    deployments:
      - provider: openai
        api_key: k
        rpm: -5
        tpm: 1.5
        max_in_flight: 0
)";
  std::string error = ErrorOf(yaml);
  EXPECT_THAT(error, HasSubstr("sluice.yaml:6:14: rpm must be an integer >= 0, got '-5'"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:7:14: tpm must be an integer >= 0, got '1.5'"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:8:24: max_in_flight must be a positive integer"));
}

TEST(ConfigParserTest, LimitsThatAreAbsentOrZeroAreLearned) {
  Result<Config> config = ParseConfig(R"(models:
  - name: m
    deployments:
      - {provider: openai, api_key: k}
      - {provider: openai, api_key: k, rpm: 0, tpm: 5000}
)",
                                      "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->models[0].deployments[0].rpm, 0);
  EXPECT_EQ(config->models[0].deployments[0].tpm, 0);
  EXPECT_EQ(config->models[0].deployments[1].rpm, 0);
  EXPECT_EQ(config->models[0].deployments[1].tpm, 5000);
}

TEST(ConfigParserTest, AnthropicDeploymentsTakeInputAndOutputLimitsAndAnOutputCap) {
  Result<Config> config = ParseConfig(R"(models:
  - name: claude
    deployments:
      - {provider: anthropic, api_key: k, rpm: 50, itpm: 30000, otpm: 8000, max_tokens: 1024}
      - {provider: anthropic, api_key: k}
)",
                                      "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  const DeploymentConfig& d = config->models[0].deployments[0];
  EXPECT_EQ(d.base_url, "https://api.anthropic.com");
  EXPECT_EQ(d.rpm, 50);
  EXPECT_EQ(d.itpm, 30000);
  EXPECT_EQ(d.otpm, 8000);
  EXPECT_EQ(d.max_tokens, 1024);
  EXPECT_EQ(config->models[0].deployments[1].max_tokens, 4096);
}

TEST(ConfigParserTest, TokenLimitsOfTheOtherProviderAreErrorsNamingTheRightOnes) {
  std::string error = ErrorOf(R"(models:
  - name: m
    deployments:
      - {provider: anthropic, api_key: k, tpm: 1000}
      - {provider: openai, api_key: k, itpm: 5, max_tokens: 10}
)");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:4:48: tpm is for openai deployments; anthropic meters "
                               "input and output tokens apart: set itpm and otpm"));
  EXPECT_THAT(error, HasSubstr("itpm is for anthropic deployments; openai deployments take tpm"));
  EXPECT_THAT(error, HasSubstr("max_tokens is for anthropic deployments"));
}

TEST(ConfigParserTest, UnknownProviderListsTheAllowedKinds) {
  std::string error = ErrorOf(
      "models:\n  - name: m\n    deployments:\n"
      "      - {provider: openia, api_key: k, rpm: 1, tpm: 1}\n");
  EXPECT_EQ(error,
            "sluice.yaml:4:20: unknown provider 'openia' (allowed: openai, openai-compatible, "
            "anthropic)");
}

TEST(ConfigParserTest, DuplicateModelNamePointsAtBothDefinitions) {
  std::string error = ErrorOf(R"(models:
  - name: m
    deployments: [{provider: openai, api_key: k, rpm: 1, tpm: 1}]
  - name: m
    deployments: [{provider: openai, api_key: k, rpm: 1, tpm: 1}]
)");
  EXPECT_EQ(error,
            "sluice.yaml:4:11: duplicate model name 'm' (first defined at sluice.yaml:2:11)");
}

TEST(ConfigParserTest, MissingRequiredKeysAreEachReported) {
  std::string error = ErrorOf("models:\n  - name: m\n    deployments:\n      - provider: openai\n");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:4:9: missing required key 'api_key' in openai"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("'rpm'")));  // optional: learned when absent
  EXPECT_THAT(ErrorOf("models:\n  - deployments: []\n"),
              HasSubstr("missing required key 'name' in model"));
}

TEST(ConfigParserTest, OpenAiCompatibleNeedsABaseUrl) {
  std::string error =
      ErrorOf("models: [{name: m, deployments: [{provider: openai-compatible, rpm: 1, tpm: 1}]}]");
  EXPECT_THAT(error, HasSubstr("missing required key 'base_url' in openai-compatible deployment"));
}

TEST(ConfigParserTest, WrongTypesAreReported) {
  std::string error = ErrorOf("listen: [1, 2]\nmodels: {name: m}\n");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:1:9: listen must be a single value, not a list"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:2:9: models must be a list, not a map"));
  EXPECT_THAT(ErrorOf("- a\n- b\n"), HasSubstr("sluice.yaml:1:1: the config must be a map"));
}

TEST(ConfigParserTest, BadListenAddressIsReported) {
  EXPECT_THAT(ErrorOf("listen: localhost8080\n"),
              StartsWith("sluice.yaml:1:9: listen: address must be host:port"));
  EXPECT_THAT(ErrorOf("listen: example.com:80\n"), HasSubstr("must be an IP address"));
  EXPECT_THAT(ErrorOf("listen: 127.0.0.1:70000\n"), HasSubstr("port must be a number"));
}

TEST(ConfigParserTest, DedupIsAModeByName) {
  EXPECT_EQ(ParseConfig("", "sluice.yaml", KeysSet())->dedup, batch::DedupMode::kAuto);
  EXPECT_EQ(ParseConfig("dedup: off\n", "sluice.yaml", KeysSet())->dedup, batch::DedupMode::kOff);
  EXPECT_EQ(ParseConfig("dedup: always\n", "sluice.yaml", KeysSet())->dedup,
            batch::DedupMode::kAlways);
  EXPECT_THAT(ErrorOf("dedup: maybe\n"),
              HasSubstr("sluice.yaml:1:8: unknown dedup 'maybe' (allowed: off, auto, always)"));
}

TEST(ConfigParserTest, DeploymentTimeoutIsADuration) {
  auto config = ParseConfig(
      "models: [{name: m, deployments: [{provider: openai-compatible, base_url: "
      "'http://127.0.0.1:1/v1', rpm: 1, tpm: 1, timeout: 1.5s}]}]",
      "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->models[0].deployments[0].timeout, std::chrono::milliseconds(1500));
  EXPECT_THAT(ErrorOf("models: [{name: m, deployments: [{provider: openai-compatible, base_url: "
                      "'http://127.0.0.1:1/v1', rpm: 1, tpm: 1, timeout: soon}]}]"),
              HasSubstr("timeout: expected a duration above zero such as 30s or 2m, got 'soon'"));
}

TEST(ConfigParserTest, PricesAreDollarsPerMillionTokens) {
  auto config = ParseConfig(
      "models: [{name: m, prices: {input: 0.15, output: 0.6}, deployments: [{provider: "
      "openai-compatible, base_url: 'http://127.0.0.1:1/v1', rpm: 1, tpm: 1}]}]",
      "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->models[0].prices.has_value());
  EXPECT_DOUBLE_EQ(config->models[0].prices->input, 0.15);
  EXPECT_DOUBLE_EQ(config->models[0].prices->cached_input, 0.15);  // defaults to input
  EXPECT_DOUBLE_EQ(config->models[0].prices->output, 0.6);
  EXPECT_THAT(ErrorOf("models: [{name: m, prices: {input: -1, outptu: 2}, deployments: "
                      "[{provider: openai-compatible, base_url: 'http://127.0.0.1:1/v1', rpm: 1, "
                      "tpm: 1}]}]"),
              AllOf(HasSubstr("input: expected dollars per million tokens such as 0.15, got '-1'"),
                    HasSubstr("outptu")));
}

TEST(ConfigParserTest, RetryPolicyIsConfigurable) {
  auto config = ParseConfig("retry: {max_attempts: 3, base_delay: 10ms, max_delay: 1s}\n",
                            "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->retry.max_attempts, 3);
  EXPECT_EQ(config->retry.base_delay, std::chrono::milliseconds(10));
  EXPECT_EQ(config->retry.max_delay, std::chrono::seconds(1));
  EXPECT_THAT(ErrorOf("retry: {max_attempts: 0, base_delay: fast}\n"),
              AllOf(HasSubstr("max_attempts"), HasSubstr("base_delay: expected a duration")));
}

TEST(ConfigParserTest, ProxyWaitIsConfigurable) {
  EXPECT_EQ(ParseConfig("", "sluice.yaml", KeysSet())->proxy.max_wait, std::chrono::seconds(10));
  auto config = ParseConfig("proxy: {max_wait: 250ms}\n", "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->proxy.max_wait, std::chrono::milliseconds(250));
  EXPECT_THAT(ErrorOf("proxy: {max_wait: never, wait: 1s}\n"),
              AllOf(HasSubstr("max_wait: expected a duration"), HasSubstr("wait")));
}

TEST(ConfigParserTest, TheBatchModeAndProviderBatchesAreConfigurable) {
  auto defaults = ParseConfig("", "sluice.yaml", KeysSet());
  EXPECT_EQ(defaults->batch_mode, BatchMode::kRealtime);
  EXPECT_EQ(defaults->provider_batches.max_submissions, 3);
  auto config = ParseConfig(
      "batch_mode: provider\n"
      "provider_batches: {max_lines: 100, max_size: 1MB, max_enqueued_tokens: 5000,\n"
      "                   poll_interval: 1s, max_poll_interval: 1m, max_wait: 2h,\n"
      "                   max_submissions: 5}\n",
      "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->batch_mode, BatchMode::kProvider);
  EXPECT_EQ(config->provider_batches.max_lines, 100);
  EXPECT_EQ(config->provider_batches.max_bytes, 1'000'000);
  EXPECT_EQ(config->provider_batches.max_enqueued_tokens, 5000);
  EXPECT_EQ(config->provider_batches.poll_interval, std::chrono::seconds(1));
  EXPECT_EQ(config->provider_batches.max_wait, std::chrono::hours(2));
  EXPECT_EQ(config->provider_batches.max_submissions, 5);
  EXPECT_EQ(ErrorOf("batch_mode: cheap\n"),
            "sluice.yaml:1:13: unknown batch_mode 'cheap' (allowed: realtime, provider, auto)");
  EXPECT_THAT(ErrorOf("provider_batches: {max_lines: 0, max_wait: soon}\n"),
              AllOf(HasSubstr("max_lines"), HasSubstr("max_wait: expected a duration")));
}

TEST(ConfigParserTest, RunningModeIsTheBatchsOwnElseTheDefaultAndAutoRunsRealTime) {
  EXPECT_EQ(RunningMode(BatchMode::kProvider, BatchMode::kRealtime), BatchMode::kProvider);
  EXPECT_EQ(RunningMode(std::nullopt, BatchMode::kProvider), BatchMode::kProvider);
  EXPECT_EQ(RunningMode(BatchMode::kAuto, BatchMode::kProvider), BatchMode::kRealtime);
}

// A webhook secret as Standard Webhooks wants it (24+ bytes after whsec_).
constexpr std::string_view kWebhookSecret = "whsec_YS10ZXN0LXNlY3JldC1vZi0zMi1ieXRlcy1sZW5ndGgh";

// A config with the webhooks section `webhooks` and one key whose webhook_url is `url`.
std::string WebhookConfig(std::string_view webhooks, std::string_view url) {
  return "listen: 127.0.0.1:8080\n" + std::string(webhooks) +
         "keys:\n  - name: team\n    key: team-key-0123456789abcdef\n    webhook_url: " +
         std::string(url) + "\n";
}

TEST(ConfigParserTest, WebhooksNeedASecretAndAReachableUrl) {
  std::string with_secret = "webhooks:\n  secret: " + std::string(kWebhookSecret) +
                            "\n  base_delay: 100ms\n";
  auto config = ParseConfig(WebhookConfig(with_secret, "https://hooks.example.com/x"),
                            "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->webhooks.secret, kWebhookSecret);
  EXPECT_EQ(config->webhooks.base_delay, std::chrono::milliseconds(100));
  EXPECT_EQ(config->webhooks.give_up_after, std::chrono::hours(24));
  EXPECT_EQ(config->keys[0].webhook_url, "https://hooks.example.com/x");
  EXPECT_THAT(ToString(*config), AllOf(HasSubstr("secret: <set>"),
                                        ::testing::Not(HasSubstr(std::string(kWebhookSecret)))));

  EXPECT_EQ(ErrorOf(WebhookConfig("", "https://hooks.example.com/x")),
            "sluice.yaml:5:18: webhook_url needs webhooks.secret (the key the webhooks are signed "
            "with; make one with: echo whsec_$(openssl rand -base64 32))");
  EXPECT_EQ(ErrorOf(WebhookConfig(with_secret, "ftp://hooks.example.com/x")),
            "sluice.yaml:8:18: webhook_url: a webhook URL is http:// or https://, got "
            "'ftp://hooks.example.com/x'");
  EXPECT_THAT(ErrorOf(WebhookConfig(with_secret, "http://localhost:8080/v1/batches")),
              HasSubstr("may not point at the gateway itself"));
  EXPECT_THAT(ErrorOf(WebhookConfig("webhooks: {secret: hunter2}\n", "https://h.example/x")),
              HasSubstr("sluice.yaml:2:20: secret: a webhook secret starts with whsec_"));
  EXPECT_THAT(ErrorOf("webhooks: {secret: " + std::string(kWebhookSecret) + ", retries: 3}\n"),
              HasSubstr("retries"));
}

TEST(ConfigParserTest, MaxConnectionsIsAPositiveCount) {
  EXPECT_EQ(ParseConfig("", "sluice.yaml", KeysSet())->max_connections, 1000);
  EXPECT_EQ(ParseConfig("max_connections: 20\n", "sluice.yaml", KeysSet())->max_connections, 20);
  EXPECT_THAT(ErrorOf("max_connections: 0\n"), HasSubstr("max_connections"));
  EXPECT_THAT(ErrorOf("max_connections: many\n"), HasSubstr("max_connections"));
  EXPECT_EQ(ParseConfig("", "sluice.yaml", KeysSet())->max_running_batches, 8);
  EXPECT_EQ(ParseConfig("max_running_batches: 2\n", "sluice.yaml", KeysSet())->max_running_batches,
            2);
  EXPECT_THAT(ErrorOf("max_running_batches: -1\n"), HasSubstr("max_running_batches"));
}

TEST(ConfigParserTest, StreamIdleTimeoutDefaultsToAMinuteAndMustBePositive) {
  EXPECT_EQ(ParseConfig("", "sluice.yaml", KeysSet())->proxy.stream_idle_timeout,
            std::chrono::seconds(60));
  auto config = ParseConfig("proxy: {stream_idle_timeout: 5m}\n", "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->proxy.stream_idle_timeout, std::chrono::minutes(5));
  EXPECT_THAT(ErrorOf("proxy: {stream_idle_timeout: 0s}\n"),
              HasSubstr("stream_idle_timeout: expected a duration above zero"));
}

TEST(ConfigParserTest, FilesUploadLimitIsASize) {
  EXPECT_EQ(ParseConfig("", "sluice.yaml", KeysSet())->files.max_upload_bytes, 200'000'000);
  auto config = ParseConfig("files: {max_upload_size: 1GiB}\n", "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->files.max_upload_bytes, std::int64_t{1} << 30);
  EXPECT_THAT(ErrorOf("files: {max_upload_size: lots}\n"),
              AllOf(StartsWith("sluice.yaml:1:26: max_upload_size:"), HasSubstr("200MB")));
  EXPECT_THAT(ErrorOf("files: {max_size: 1MB}\n"), HasSubstr("max_size"));
}

TEST(ConfigParserTest, RetentionKeepsBatchFilesThirtyDaysUnlessTold) {
  RetentionConfig defaults = ParseConfig("", "sluice.yaml", KeysSet())->retention;
  EXPECT_EQ(defaults.batch_input_files, std::chrono::hours(720));
  EXPECT_EQ(defaults.batch_output_files, std::chrono::hours(720));
  EXPECT_EQ(defaults.sweep_interval, std::chrono::minutes(1));
  auto config = ParseConfig(
      "retention: {batch_input_files: never, batch_output_files: 48h, sweep_interval: 10s}\n",
      "sluice.yaml", KeysSet());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->retention.batch_input_files, std::nullopt);
  EXPECT_EQ(config->retention.batch_output_files, std::chrono::hours(48));
  EXPECT_EQ(config->retention.sweep_interval, std::chrono::seconds(10));
  EXPECT_THAT(ErrorOf("retention: {batch_input_files: 0s}\n"),
              AllOf(StartsWith("sluice.yaml:1:32: batch_input_files:"), HasSubstr("never")));
  EXPECT_THAT(ErrorOf("retention: {batch_output_files: forever}\n"),
              HasSubstr("batch_output_files: expected never or a duration"));
  EXPECT_THAT(ErrorOf("retention: {sweep_interval: never}\n"),
              HasSubstr("sweep_interval: expected a duration above zero"));
  EXPECT_THAT(ErrorOf("retention: {keep: 1h}\n"), HasSubstr("keep"));
}

TEST(ConfigParserTest, BadBaseUrlIsReported) {
  std::string error = ErrorOf(
      "models: [{name: m, deployments: [{provider: openai, base_url: ftp://x, api_key: k, "
      "rpm: 1, tpm: 1}]}]");
  EXPECT_THAT(error, HasSubstr("base_url: URL 'ftp://x' must start with http:// or https://"));
}

TEST(ConfigParserTest, YamlSyntaxErrorGivesItsLine) {
  std::string error = ErrorOf("listen: 127.0.0.1:8080\nmodels:\n  - name: [unclosed\n");
  EXPECT_THAT(error, StartsWith("sluice.yaml:4:"));
  EXPECT_THAT(error, HasSubstr("YAML syntax error"));
}

TEST(ConfigParserTest, UnknownAndRepeatedKeysAreErrors) {
  std::string error = ErrorOf("listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\nmodles: []\n");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:2:1: duplicate key 'listen' in the config"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:3:1: unknown key 'modles' in the config (allowed: "));
}

TEST(ConfigParserTest, ReportsEveryProblemAtOnceOnePerLine) {
  std::string error = ErrorOf(R"(listen: nope
log_format: xml
models:
  - name: m
    deployments:
      - provider: nope
        api_key: ${MISSING}
        rpm: -1
        tpm: 10
)");
  EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 4) << error;
  EXPECT_THAT(error, HasSubstr("sluice.yaml:1:9: listen:"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:2:13: unknown log_format 'xml'"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:6:19: unknown provider 'nope'"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:7:18: environment variable MISSING is not set"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:8:14: rpm must be an integer >= 0, got '-1'"));
}

TEST(ConfigParserTest, ErrorsNeverContainSecrets) {
  std::string error = ErrorOf(
      "models:\n  - name: m\n    deployments:\n      - provider: openai\n"
      "        api_key: ${OPENAI_API_KEY}\n        rpm: x\n        tpm: 1\n");
  EXPECT_THAT(error, HasSubstr("rpm must be"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("sk-1")));
}

TEST(ConfigParserTest, StoreMustBeARedisUrl) {
  EXPECT_TRUE(ParseConfig("store: redis://127.0.0.1:6379/0\n", "s", KeysSet()).ok());
  EXPECT_THAT(ErrorOf("store: mysql://x\n"), HasSubstr("sluice.yaml:1:8: store: URL 'mysql://x'"));
}

TEST(LoadConfigFileTest, ReadsAFileAndNamesItInErrors) {
  std::string path = ::testing::TempDir() + "/load_config_file_test.yaml";
  {
    std::ofstream out(path);
    out << "listen: 127.0.0.1:0\nbogus: 1\n";
  }
  Result<Config> config = LoadConfigFile(path, KeysSet());
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), StartsWith(path + ":2:1: unknown key 'bogus'"));
  std::remove(path.c_str());
}

TEST(LoadConfigFileTest, MissingFileIsNotFound) {
  Result<Config> config = LoadConfigFile(::testing::TempDir() + "/does-not-exist.yaml", KeysSet());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(config.status().message(), HasSubstr("No such file"));
}

}  // namespace
}  // namespace sluice::config
