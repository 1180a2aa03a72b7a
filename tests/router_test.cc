// Integration test of routing across two deployments of one model with `sluice run` against two
// `sluice mock` processes: one dies mid-run (its port refuses connections), its circuit breaker
// opens, every line still completes exactly once on the other, and when the mock comes back on
// the same port the breaker's probe closes it and requests reach it again. No sleeps: the test
// polls the mocks' /mock/stats and waits on the run's log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <sstream>

#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = std::chrono::seconds(30);

// `sluice mock --port <port> <args>` and the port it listens on.
struct Mock {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
};

Result<Mock> StartMock(std::uint16_t port, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"mock", "--port", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  Mock mock;
  SLUICE_ASSIGN_OR_RETURN(mock.process, Process::Spawn(SLUICE_BIN, argv, MinimalEnvironment()));
  SLUICE_ASSIGN_OR_RETURN(std::string line, mock.process->ReadStdoutLine(kDeadline));
  std::smatch match;
  if (!std::regex_match(line, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"))) {
    return InternalError("unexpected first line from the mock: " + line);
  }
  mock.port = static_cast<std::uint16_t>(std::stoi(match[1]));
  return mock;
}

// The mock's "received" count; -1 when it does not answer.
std::int64_t Received(std::uint16_t port) {
  auto response = RawHttp(port, "GET", "/mock/stats", "", std::chrono::seconds(5));
  if (!response.ok() || response->status != 200) return -1;
  boost::system::error_code ec;
  boost::json::value stats = boost::json::parse(response->body, ec);
  if (ec || !stats.is_object()) return -1;
  return StatCount(stats.as_object(), "received");
}

// Polls until `done` or the deadline; false at the deadline.
template <typename F>
bool PollUntil(F done) {
  auto until = Clock::now() + kDeadline;
  while (Clock::now() < until) {
    if (done()) return true;
  }
  return false;
}

std::string TwoDeploymentConfig(const std::string& data_dir, std::uint16_t slow,
                                std::uint16_t fast) {
  std::ostringstream text;
  text << "data_dir: " << data_dir << "\n"
       << "retry: {base_delay: 20ms, max_delay: 200ms}\n"
       << "breaker: {consecutive_failures: 3, cooldown: 200ms}\n"
       << "models:\n"
       << "  - name: " << kTestModel << "\n"
       << "    deployments:\n";
  for (auto [port, in_flight] : {std::pair{slow, 2}, std::pair{fast, 8}}) {
    text << "      - provider: openai-compatible\n"
         << "        base_url: http://127.0.0.1:" << port << "/v1\n"
         << "        api_key: sk-test\n"
         << "        max_in_flight: " << in_flight << "\n";
  }
  return text.str();
}

TEST(RouterTest, ADeploymentThatDiesMidRunIsCutOffAndTakenBackWhenItReturns) {
  constexpr int kLines = 2000;
  RunFixture fixture;
  // Deployment 0 (the fixture's mock) is slow; deployment 1 takes most of the load.
  std::vector<std::string> latency = {"--ttfb", "20ms"};
  ASSERT_TRUE(fixture.Start(latency).ok());
  Result<Mock> fast = StartMock(0, latency);
  ASSERT_TRUE(fast.ok()) << fast.status();
  std::uint16_t fast_port = fast->port;
  fixture.WriteInput("sluice.yaml",
                     TwoDeploymentConfig(fixture.Path("data"), fixture.mock_port(), fast_port));
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(kLines));
  auto run = fixture.SpawnRun({input, "--output", fixture.Path("out.jsonl")});
  ASSERT_TRUE(run.ok()) << run.status();

  ASSERT_TRUE(PollUntil([&] { return Received(fast_port) >= 200; }))
      << "the fast deployment got no traffic";
  ASSERT_TRUE(fast->process->Signal(SIGKILL).ok());
  ASSERT_TRUE(fast->process->Wait(kDeadline).ok());
  auto killed_at = Clock::now();
  Status opened = (*run)->WaitForStderr("gpt-4o-mini#1: circuit breaker open", kDeadline);
  ASSERT_TRUE(opened.ok()) << opened << "\n" << (*run)->stderr_text();
  auto open_after = Clock::now() - killed_at;
  EXPECT_LT(open_after, std::chrono::seconds(5)) << "the breaker opens within seconds";

  Result<Mock> back = StartMock(fast_port, latency);  // the same port: the same deployment
  ASSERT_TRUE(back.ok()) << back.status();
  Status closed = (*run)->WaitForStderr("gpt-4o-mini#1: circuit breaker closed", kDeadline);
  EXPECT_TRUE(closed.ok()) << closed << "\n" << (*run)->stderr_text();
  Result<int> exit = (*run)->Wait(kDeadline);
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, 0) << (*run)->stderr_text();
  EXPECT_THAT((*run)->stdout_text(),
              HasSubstr(std::to_string(kLines) + " requests, " + std::to_string(kLines) +
                        " succeeded, 0 failed"));
  EXPECT_GT(Received(fast_port), 0) << "traffic returned to the restarted deployment";

  Result<std::vector<OutputLine>> lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(AnswersInOrder(*lines, kLines));
}

// The body of a small chat request for the test model.
std::string ChatBody() {
  return R"({"model":")" + std::string(kTestModel) +
         R"(","messages":[{"role":"user","content":"hi"}],"max_tokens":4})";
}

TEST(RouterTest, AProxyRequestToAModelWhoseEveryDeploymentIsOpenIsA503InOpenAisShape) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({}).ok());
  // A port nobody listens on: a mock that was stopped.
  Result<Mock> gone = StartMock(0, {});
  ASSERT_TRUE(gone.ok()) << gone.status();
  std::uint16_t dead_port = gone->port;
  gone->process.reset();
  std::ostringstream config;
  config << "listen: 127.0.0.1:0\ndata_dir: " << fixture.Path("data") << "\n"
         << "retry: {base_delay: 1ms, max_delay: 2ms}\n"
         << "breaker: {consecutive_failures: 1, cooldown: 1h}\n"
         << "models:\n  - name: " << kTestModel << "\n    deployments:\n"
         << "      - provider: openai-compatible\n"
         << "        base_url: http://127.0.0.1:" << dead_port << "/v1\n";
  std::string config_path = fixture.WriteInput("serve.yaml", config.str());
  Result<Serving> serving = StartServe(config_path);
  ASSERT_TRUE(serving.ok()) << serving.status();

  // The first request is refused a connection, which opens the breaker; its retry finds the
  // model unavailable. The next one is answered at once, without an upstream attempt.
  for (int i = 0; i < 2; ++i) {
    auto response =
        RawHttp(serving->port, "POST", "/v1/chat/completions", ChatBody(), kDeadline);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 503) << response->body;
    boost::json::value body = boost::json::parse(response->body);
    EXPECT_EQ(body.at("error").at("type"), "server_error");
    EXPECT_EQ(body.at("error").at("code"), "service_unavailable");
    EXPECT_THAT(std::string(body.at("error").at("message").as_string()),
                HasSubstr("Every deployment of model `gpt-4o-mini` is failing"));
  }
  auto metrics = RawHttp(serving->port, "GET", "/metrics", "", kDeadline);
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_THAT(metrics->body, HasSubstr("sluice_deployment_breaker_state{deployment=\"" +
                                       std::string(kTestModel) + "#0\",state=\"open\"} 1"));
  EXPECT_THAT(metrics->body, HasSubstr("sluice_upstream_answers_total{class=\"connection\","
                                       "deployment=\"" +
                                       std::string(kTestModel) + "#0\"} 1"));
  Status logged = serving->process->WaitForStderr("gpt-4o-mini#0: circuit breaker open", kDeadline);
  EXPECT_TRUE(logged.ok()) << logged << serving->process->stderr_text();
}

}  // namespace
}  // namespace sluice::test_support
