// Integration tests of the sluice command line: they run the built binary and check what a user
// sees (exit codes, stdout, stderr, HTTP answers).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <csignal>
#include <regex>

#include "support/process.h"
#include "support/raw_http.h"
#include "support/scratch_working_directory.h"

namespace sluice::test_support {
namespace {

// What `sluice serve` writes (./sluice-test-data, ./sluice-data) goes to a temporary directory.
const auto* const kScratch = ::testing::AddGlobalTestEnvironment(new ScratchWorkingDirectory);

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr auto kTimeout = std::chrono::seconds(20);

std::string Fixture(const std::string& name) {
  return std::string(SLUICE_FIXTURES_DIR) + "/config/" + name;
}

ProcessResult RunSluice(const std::vector<std::string>& args,
                        std::vector<std::string> env = MinimalEnvironment()) {
  Result<ProcessResult> result = RunToCompletion(SLUICE_BIN, args, env, kTimeout);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : ProcessResult{};
}

int LineCount(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// A running `sluice` server and the port from its "listening on" line.
struct Server {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
};

Server StartServer(const std::vector<std::string>& args, std::vector<std::string> env) {
  Result<std::unique_ptr<Process>> spawned = Process::Spawn(SLUICE_BIN, args, env);
  EXPECT_TRUE(spawned.ok()) << spawned.status();
  if (!spawned.ok()) return {};
  Server server{std::move(spawned).value()};
  Result<std::string> line = server.process->ReadStdoutLine(kTimeout);
  EXPECT_TRUE(line.ok()) << line.status() << "\nstderr: " << server.process->stderr_text();
  std::smatch match;
  std::string text = line.value_or("");
  EXPECT_TRUE(
      std::regex_match(text, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")))
      << text;
  if (!match.empty()) server.port = static_cast<std::uint16_t>(std::stoi(match[1]));
  EXPECT_NE(server.port, 0);
  return server;
}

// Sends SIGTERM and expects a clean exit.
void StopCleanly(Server& server) {
  ASSERT_TRUE(server.process->Signal(SIGTERM).ok());
  Result<int> code = server.process->Wait(kTimeout);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << server.process->stderr_text();
}

TEST(CliIntegrationTest, VersionAndHelpExitZero) {
  ProcessResult version = RunSluice({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "sluice 0.1.0\n");
  ProcessResult help = RunSluice({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("serve"));
  EXPECT_THAT(help.out, HasSubstr("mock"));
  EXPECT_EQ(help.err, "");
}

TEST(CliIntegrationTest, UnknownFlagExitsTwoWithOneLine) {
  ProcessResult r = RunSluice({"serve", "--frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "sluice: unknown option --frobnicate; see sluice --help\n");
  EXPECT_EQ(r.out, "");
}

struct BadConfigCase {
  std::string file;
  std::string location;  // "file:line:" the message must name
  std::string problem;
};

class BadConfigTest : public ::testing::TestWithParam<BadConfigCase> {};

TEST_P(BadConfigTest, ExitsTwoNamingFileAndLine) {
  const BadConfigCase& c = GetParam();
  std::vector<std::string> env = MinimalEnvironment();
  ProcessResult r = RunSluice({"serve", "--config", Fixture(c.file)}, env);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith(Fixture(c.file) + ":" + c.location));
  EXPECT_THAT(r.err, HasSubstr(c.problem));
  EXPECT_EQ(r.out, "") << "nothing may start";
}

INSTANTIATE_TEST_SUITE_P(
    Configs, BadConfigTest,
    ::testing::Values(
        BadConfigCase{"missing_env.yaml",
                      "7:18: ", "environment variable SLUICE_TEST_UNSET_KEY is not set"},
        BadConfigCase{"negative_rpm.yaml", "8:14: ", "rpm must be an integer >= 0, got '-5'"},
        BadConfigCase{"unknown_provider.yaml", "6:19: ",
                      "unknown provider 'openia' (allowed: openai, openai-compatible, anthropic)"},
        BadConfigCase{"duplicate_model.yaml", "7:11: ", "duplicate model name 'gpt-4o-mini'"},
        BadConfigCase{"syntax_error.yaml", "6:", "YAML syntax error"},
        BadConfigCase{"unknown_deployment_field.yaml", "6:9: ", "unknown key 'rpms'"},
        BadConfigCase{"anthropic_without_key.yaml", "4:9: ",
                      "missing required key 'api_key' in anthropic deployment"},
        BadConfigCase{"fallback_cycle.yaml", "11:17: ", "fallback cycle: fast -> smart -> fast"},
        BadConfigCase{"fallback_unknown_model.yaml", "6:16: ",
                      "model 'fast' falls back to unknown model 'smrt' (configured: fast)"}),
    [](const auto& test) { return test.param.file.substr(0, test.param.file.find('.')); });

TEST(CliIntegrationTest, EveryConfigProblemIsReportedAtOnce) {
  ProcessResult r = RunSluice({"serve", "--config", Fixture("several_problems.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  std::string file = Fixture("several_problems.yaml");
  EXPECT_THAT(r.err, HasSubstr(file + ":2:9: listen:"));
  EXPECT_THAT(r.err, HasSubstr(file + ":3:13: unknown log_format 'xml'"));
  EXPECT_THAT(r.err, HasSubstr(file + ":9:14: rpm must be an integer >= 0"));
}

TEST(CliIntegrationTest, MockServesRequestsAndExitsZeroOnSigterm) {
  Server mock = StartServer({"mock", "--port", "0", "--seed", "7"}, MinimalEnvironment());
  ASSERT_NE(mock.port, 0);
  Result<RawResponse> r =
      RawHttp(mock.port, "POST", "/v1/chat/completions",
              R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]})", kTimeout);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(boost::json::parse(r->body).at("object"), "chat.completion");
  StopCleanly(mock);
}

TEST(CliIntegrationTest, ServeAnswersHealthModelsAndNotFoundThenDrainsOnSigterm) {
  std::vector<std::string> env = MinimalEnvironment();
  env.push_back("SLUICE_TEST_KEY=sk-integration-secret");
  Server serve = StartServer({"serve", "--config", Fixture("serve_any_port.yaml")}, env);
  ASSERT_NE(serve.port, 0);

  Result<RawResponse> health = RawHttp(serve.port, "GET", "/healthz", "", kTimeout);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"ok"})");

  Result<RawResponse> models = RawHttp(serve.port, "GET", "/v1/models", "", kTimeout);
  ASSERT_TRUE(models.ok()) << models.status();
  ASSERT_EQ(models->status, 200);
  boost::json::value list = boost::json::parse(models->body);
  EXPECT_EQ(list.at("object"), "list");
  ASSERT_EQ(list.at("data").as_array().size(), 2u);
  EXPECT_EQ(list.at("data").at(0).at("id"), "gpt-4o-mini");
  EXPECT_EQ(list.at("data").at(1).at("id"), "local-llama");

  Result<RawResponse> missing = RawHttp(serve.port, "GET", "/v1/nope", "", kTimeout);
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(boost::json::parse(missing->body).at("error").at("type"), "invalid_request_error");

  StopCleanly(serve);
  EXPECT_THAT(serve.process->stderr_text(), ::testing::Not(HasSubstr("sk-integration-secret")));
}

TEST(CliIntegrationTest, ServeWithoutConfigOrKeyUsesTheBuiltInMock) {
  // MinimalEnvironment has no OPENAI_API_KEY: a first run on a fresh machine.
  Server serve = StartServer({"serve", "--listen", "127.0.0.1:0"}, MinimalEnvironment());
  ASSERT_NE(serve.port, 0);
  Result<std::string> notice = serve.process->ReadStdoutLine(kTimeout);
  ASSERT_TRUE(notice.ok()) << notice.status();
  EXPECT_THAT(*notice, HasSubstr("built-in mock provider"));
  Result<RawResponse> models = RawHttp(serve.port, "GET", "/v1/models", "", kTimeout);
  ASSERT_TRUE(models.ok()) << models.status();
  boost::json::value list = boost::json::parse(models->body);
  EXPECT_EQ(list.at("data").at(0).at("id"), "gpt-4o-mini");
  EXPECT_EQ(list.at("data").at(1).at("id"), "text-embedding-3-small");
  Result<RawResponse> chat =
      RawHttp(serve.port, "POST", "/v1/chat/completions",
              R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})", kTimeout);
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_EQ(chat->status, 200) << chat->body;
  EXPECT_EQ(boost::json::parse(chat->body).at("object"), "chat.completion");
  StopCleanly(serve);
}

TEST(CliIntegrationTest, PortInUseExitsOneWithOneLine) {
  Result<ListeningSocket> taken = ListenOnAnyPort();
  ASSERT_TRUE(taken.ok()) << taken.status();
  std::string address = "127.0.0.1:" + std::to_string(taken->port);
  ProcessResult serve = RunSluice({"serve", "--listen", address});
  ProcessResult mock = RunSluice({"mock", "--port", std::to_string(taken->port)});
  close(taken->fd);
  for (const ProcessResult& r : {serve, mock}) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "sluice: cannot listen on " + address + ": address already in use\n");
    EXPECT_EQ(r.out, "");
  }
}

TEST(CliIntegrationTest, JsonLogFormatWritesJsonLinesToStderr) {
  Server mock = StartServer({"--log-format", "json", "mock", "--port", "0"}, MinimalEnvironment());
  ASSERT_NE(mock.port, 0);
  StopCleanly(mock);
  const std::string& err = mock.process->stderr_text();
  ASSERT_GE(LineCount(err), 2) << err;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    boost::json::value record = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    ASSERT_TRUE(record.is_object()) << line;
    EXPECT_TRUE(record.as_object().contains("ts")) << line;
    EXPECT_TRUE(record.as_object().contains("level")) << line;
    EXPECT_TRUE(record.as_object().contains("msg")) << line;
  }
  EXPECT_THAT(err, HasSubstr("listening on"));
}

TEST(CliIntegrationTest, TextLogFormatIsHumanReadable) {
  Server mock = StartServer({"mock", "--port", "0"}, MinimalEnvironment());
  ASSERT_NE(mock.port, 0);
  StopCleanly(mock);
  const std::string& err = mock.process->stderr_text();
  EXPECT_THAT(err, HasSubstr("info  mock provider listening on"));
  EXPECT_THAT(err, ::testing::Not(StartsWith("{")));
}

}  // namespace
}  // namespace sluice::test_support
