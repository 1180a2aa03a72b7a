// An anthropic deployment against `sluice mock`'s Messages API (not a scripted fake): the
// adapter's requests pass the mock's checks (x-api-key, anthropic-version, Anthropic's body
// rules), every line of a run is answered by its own request, the mock's anthropic-ratelimit-*
// headers and 429s are honoured, and the proxy streams the mock's events as OpenAI chunks.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/process.h"
#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);

class AnthropicMockTest : public ::testing::Test {
 protected:
  // Starts the mock with `limits` and writes a config with one anthropic deployment on it,
  // serving kTestModel (which every generated line asks for) as claude-sonnet-4-5.
  void Start(std::vector<std::string> limits, const std::string& deployment_limits) {
    std::vector<std::string> args = {"--api-key", "sk-ant-test"};
    args.insert(args.end(), limits.begin(), limits.end());
    ASSERT_TRUE(fixture_.Start(args).ok());
    config_ = fixture_.WriteInput(
        "anthropic.yaml",
        "data_dir: " + fixture_.Path("anthropic-data") +
            "\nretry: {base_delay: 20ms, max_delay: 500ms}\n"
            "models:\n"
            "  - name: " +
            kTestModel +
            "\n    deployments:\n"
            "      - provider: anthropic\n"
            "        base_url: http://127.0.0.1:" +
            std::to_string(fixture_.mock_port()) +
            "\n        api_key: sk-ant-test\n"
            "        model: claude-sonnet-4-5\n" +
            deployment_limits);
  }

  ProcessResult Run(const std::string& input) {
    Result<ProcessResult> run = RunToCompletion(
        SLUICE_BIN, {"run", input, "--output", fixture_.Path("out.jsonl"), "--config", config_},
        MinimalEnvironment(), kRunDeadline);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : ProcessResult{};
  }

  RunFixture fixture_;
  std::string config_;
};

TEST_F(AnthropicMockTest, RunAnswersEveryLineThroughTheMessagesApi) {
  Start({}, "        rpm: 100000\n        itpm: 10000000\n        otpm: 1000000\n");
  ProcessResult run = Run(fixture_.WriteInput("in.jsonl", RequestLines(40)));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(AnswersInOrder(*lines, 40));
  const json::object& body = (*lines)[0].json.at("response").at("body").as_object();
  EXPECT_EQ(body.at("object"), "chat.completion");
  EXPECT_GT(body.at("usage").at("prompt_tokens").as_int64(), 0);
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 40);
  EXPECT_EQ(StatCount(*stats, "unauthorized"), 0);
  EXPECT_EQ(StatCount(*stats, "rejected"), 0) << "every translated body passed the mock's checks";
}

TEST_F(AnthropicMockTest, LearnedLimitsAndTheMocks429sStillAnswerEveryLineOnce) {
  // sluice is told nothing: it learns 120 rpm from the mock's headers, and the 429s it meets
  // on the way are waited out (retry-after), never lost.
  Start({"--rpm", "120"}, "");
  ProcessResult run = Run(fixture_.WriteInput("in.jsonl", RequestLines(12)));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(AnswersInOrder(*lines, 12));
}

TEST_F(AnthropicMockTest, ServeStreamsTheMocksEventsAsOpenAiChunks) {
  Start({}, "");
  Result<Serving> serving = StartServe(config_);
  ASSERT_TRUE(serving.ok()) << serving.status();
  auto streamed = RawHttp(serving->port, "POST", "/v1/chat/completions",
                          std::string(R"({"model":")") + kTestModel +
                              R"(","stream":true,"stream_options":{"include_usage":true},)"
                              R"("messages":[{"role":"user","content":"stream to me"}]})",
                          kTimeout);
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200) << streamed->body;
  EXPECT_NE(streamed->body.find(R"("delta":{"content":" stream")"), std::string::npos)
      << streamed->body;
  EXPECT_NE(streamed->body.find(R"("finish_reason":"stop")"), std::string::npos);
  EXPECT_NE(streamed->body.find(R"("choices":[],"usage":{"prompt_tokens":3,)"), std::string::npos)
      << streamed->body;
  EXPECT_TRUE(streamed->body.ends_with("data: [DONE]\n\n"));
}

}  // namespace
}  // namespace sluice::test_support
