// Fallbacks and aliases through the real binary: `sluice run` and `sluice serve` against two
// `sluice mock`s, one for each model. The primary model's mock has a small context window, fails
// every request or allows one request a minute; its fallback's mock answers. Every line still
// gets exactly one result, which names the model that gave it, and its usage and cost are
// counted once, as that model's; proxy answers name the model in x-sluice-model. An alias's
// estimate is exact.
#include <gmock/gmock.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;

constexpr auto kDeadline = std::chrono::seconds(30);

// "small" (an alias of gpt-4o-mini at `small_port`) falls back to "big" (gpt-4o at `big_port`)
// on `classes`; `small_rpm` limits small's deployment (0: learn). A token of big costs 100
// times one of small, so a cost tells who answered.
std::string TwoModels(const RunFixture& fixture, std::uint16_t small_port, std::uint16_t big_port,
                      const std::string& classes, int small_rpm) {
  auto deployment = [](std::uint16_t port, const char* model) {
    return std::string("      - provider: openai-compatible\n") +
           "        base_url: http://127.0.0.1:" + std::to_string(port) + "/v1\n" +
           "        api_key: sk-test\n        model: " + model + "\n";
  };
  std::ostringstream text;
  text << "data_dir: " << fixture.Path("data") << "\n"
       << "retry: {max_attempts: 2, base_delay: 10ms, max_delay: 20ms}\n"
       << "models:\n"
       << "  - name: small\n    prices: {input: 100, output: 100}\n    deployments:\n"
       << deployment(small_port, "gpt-4o-mini") << "        rpm: " << small_rpm << "\n"
       << "    fallbacks:\n"
       << "      - {model: big, on: [" << classes << "]}\n"
       << "  - name: big\n    prices: {input: 10000, output: 10000}\n    deployments:\n"
       << deployment(big_port, "gpt-4o");
  return text.str();
}

// A chat line for "small" asking for `text`.
std::string Line(const std::string& custom_id, const std::string& text) {
  boost::json::object body{
      {"model", "small"},
      {"messages", boost::json::array{boost::json::object{{"role", "user"}, {"content", text}}}},
      {"max_tokens", 8}};
  return boost::json::serialize(boost::json::object{
      {"custom_id", custom_id}, {"method", "POST"}, {"url", "/v1/chat/completions"},
      {"body", body}});
}

std::string Field(const boost::json::value& line, const char* key) {
  const auto* value = line.as_object().if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

std::string BodyModel(const OutputLine& line) {
  return std::string(line.json.at("response").at("body").at("model").as_string());
}

std::int64_t Stat(std::uint16_t port, const std::string& name) {
  Result<RawResponse> stats = RawHttp(port, "GET", "/mock/stats", "", kDeadline);
  if (!stats.ok()) return -1;
  return StatCount(boost::json::parse(stats->body).as_object(), name);
}

class FallbackTest : public ::testing::Test {
 protected:
  // Starts the two mocks (with `small_args` and `big_args`) and writes the config.
  void Start(const std::vector<std::string>& small_args, const std::string& classes,
             const std::vector<std::string>& big_args = {}, int small_rpm = 0) {
    ASSERT_TRUE(fixture_.Start(small_args).ok());
    small_port_ = fixture_.mock_port();
    Result<std::uint16_t> big = fixture_.StartMock(big_args);
    ASSERT_TRUE(big.ok()) << big.status();
    big_port_ = *big;
    fixture_.WriteInput("sluice.yaml", TwoModels(fixture_, small_port_, big_port_, classes, small_rpm));
  }

  // Runs one line too long for a 30-token window; `errors` gets the error file's lines.
  void RunTooLongLine(std::vector<OutputLine>& errors) {
    std::string input = Line("long", std::string(200, 'x')) + "\n";
    ProcessResult run = fixture_.Run({fixture_.WriteInput("in.jsonl", input), "--output",
                                      fixture_.Path("out.jsonl"), "--errors",
                                      fixture_.Path("err.jsonl")});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    Result<std::vector<OutputLine>> lines = fixture_.ReadOutput(fixture_.Path("err.jsonl"));
    ASSERT_TRUE(lines.ok()) << lines.status();
    errors = std::move(*lines);
  }

  RunFixture fixture_;
  std::uint16_t small_port_ = 0;
  std::uint16_t big_port_ = 0;
};

TEST_F(FallbackTest, ALineTooLongForItsModelIsAnsweredByTheFallbackOnce) {
  Start({"--context-window", "30"}, "context_window");
  std::string input = Line("short-0", "hello") + "\n" + Line("long", std::string(200, 'x')) +
                      "\n" + Line("short-1", "again") + "\n";
  ProcessResult run = fixture_.Run({fixture_.WriteInput("in.jsonl", input), "--output",
                                    fixture_.Path("out.jsonl")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  Result<std::vector<OutputLine>> lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 3u);
  for (const OutputLine& line : *lines) EXPECT_TRUE(line.succeeded) << line.custom_id;
  EXPECT_EQ((*lines)[0].custom_id, "short-0");
  EXPECT_EQ(Field((*lines)[0].json, "fallback_model"), "");
  EXPECT_EQ(BodyModel((*lines)[0]), "gpt-4o-mini");
  EXPECT_EQ((*lines)[1].custom_id, "long");
  EXPECT_EQ(Field((*lines)[1].json, "fallback_model"), "big");
  EXPECT_EQ(BodyModel((*lines)[1]), "gpt-4o");
  EXPECT_EQ(Stat(small_port_, "answered"), 2);
  EXPECT_EQ(Stat(small_port_, "rejected"), 1) << "the long line's 400";
  EXPECT_EQ(Stat(big_port_, "answered"), 1);

  // The summary counts each answer's usage once, and prices it as the model that gave it.
  std::int64_t prompt = 0;
  std::int64_t completion = 0;
  double cost = 0;
  for (const OutputLine& line : *lines) {
    const boost::json::value& usage = line.json.at("response").at("body").at("usage");
    std::int64_t in = usage.at("prompt_tokens").as_int64();
    std::int64_t out = usage.at("completion_tokens").as_int64();
    prompt += in;
    completion += out;
    double price = Field(line.json, "fallback_model") == "big" ? 10000 : 100;  // per million
    cost += static_cast<double>(in + out) * price / 1e6;
  }
  EXPECT_GT(prompt, 50) << "the long line's prompt, counted by big";
  EXPECT_THAT(run.out, HasSubstr("tokens: " + std::to_string(prompt) + " in, " +
                                 std::to_string(completion) + " out\n"));
  EXPECT_THAT(run.out, HasSubstr(fmt::format("cost of this run: ${:.4f}\n", cost)));
  EXPECT_THAT(run.out, HasSubstr("fallbacks: 1 requests went on to a fallback model\n"));
}

TEST_F(FallbackTest, AClassWithoutAFallbackKeepsItsOwnErrorLine) {
  Start({"--context-window", "30"}, "unavailable");  // no fallback for context_window
  std::vector<OutputLine> errors;
  ASSERT_NO_FATAL_FAILURE(RunTooLongLine(errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Field(errors[0].json, "fallback_model"), "");
  EXPECT_EQ(errors[0].json.at("response").at("status_code"), 400);
  EXPECT_EQ(Stat(big_port_, "received"), 0) << "context_window has no fallback here";
}

TEST_F(FallbackTest, AFallbackThatFailsTooGivesOneErrorLineNamingIt) {
  Start({"--context-window", "30"}, "context_window", {"--context-window", "30"});
  std::vector<OutputLine> errors;
  ASSERT_NO_FATAL_FAILURE(RunTooLongLine(errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Field(errors[0].json, "fallback_model"), "big");
  const boost::json::value& response = errors[0].json.at("response");
  EXPECT_EQ(response.at("status_code"), 400);
  EXPECT_EQ(response.at("body").at("error").at("code"), "context_length_exceeded");
  EXPECT_EQ(Stat(small_port_, "received"), 1) << "a 400 is not retried";
  EXPECT_EQ(Stat(big_port_, "received"), 1);
}

TEST_F(FallbackTest, AnUnavailableModelsLinesAreAnsweredByTheFallback) {
  Start({"--fail-500", "1"}, "unavailable, context_window");
  std::string input;
  for (int i = 0; i < 5; ++i) input += Line(CustomId(i), AskText(i)) + "\n";
  ProcessResult run = fixture_.Run({fixture_.WriteInput("in.jsonl", input), "--output",
                                    fixture_.Path("out.jsonl")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  Result<std::vector<OutputLine>> lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(EachRequestOnce(*lines, 5));
  for (const OutputLine& line : *lines) {
    EXPECT_TRUE(line.succeeded) << line.custom_id;
    EXPECT_EQ(Field(line.json, "fallback_model"), "big");
  }
  EXPECT_THAT(run.out, HasSubstr("fallbacks: 5 requests went on to a fallback model\n"));
  // At most two attempts each (retry.max_attempts); fewer once small's breaker opened, when
  // every waiting line went to big at once.
  std::int64_t sent_to_small = Stat(small_port_, "received");
  EXPECT_GE(sent_to_small, 5);
  EXPECT_LE(sent_to_small, 10);
  EXPECT_EQ(Stat(big_port_, "answered"), 5);
}

TEST_F(FallbackTest, TheProxyFallsBackAndNamesTheModelPlainAndStreamed) {
  Start({"--context-window", "30"}, "context_window");
  Result<Serving> serving = StartServe(fixture_.config_path());
  ASSERT_TRUE(serving.ok()) << serving.status();
  std::string long_text(200, 'x');
  for (bool stream : {false, true}) {
    boost::json::object body{
        {"model", "small"},
        {"stream", stream},
        {"messages",
         boost::json::array{boost::json::object{{"role", "user"}, {"content", long_text}}}}};
    Result<RawResponse> answer = RawHttp(serving->port, "POST", "/v1/chat/completions",
                                         boost::json::serialize(body), kDeadline);
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, 200) << answer->body;
    EXPECT_THAT(answer->head, HasSubstr("x-sluice-model: big\r\n"));
    // An answer is indented as OpenAI's are; stream chunks are one line each.
    EXPECT_THAT(answer->body, HasSubstr(stream ? "\"model\":\"gpt-4o\"" : "\"model\": \"gpt-4o\""));
  }
  Result<RawResponse> fits = RawHttp(serving->port, "POST", "/v1/chat/completions",
                                     R"({"model":"small","messages":[{"role":"user",)"
                                     R"("content":"hi"}],"max_tokens":8})",
                                     kDeadline);
  ASSERT_TRUE(fits.ok()) << fits.status();
  EXPECT_THAT(fits->head, HasSubstr("x-sluice-model: small\r\n"));
  EXPECT_EQ(Stat(big_port_, "answered"), 2);
}

// Once a stream's first chunk has reached the client, a failure ends that stream: no fallback
// can answer it any more. A plain request failing the same way goes on to big.
TEST_F(FallbackTest, AStreamCutAfterItsFirstChunkDoesNotFallBack) {
  Start({"--fail-reset", "1"}, "unavailable");
  Result<Serving> serving = StartServe(fixture_.config_path());
  ASSERT_TRUE(serving.ok()) << serving.status();
  Result<RawResponse> streamed = RawHttp(
      serving->port, "POST", "/v1/chat/completions",
      R"({"model":"small","stream":true,"messages":[{"role":"user","content":"hi"}]})",
      kDeadline);
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200);
  EXPECT_THAT(streamed->head, HasSubstr("x-sluice-model: small\r\n"));
  EXPECT_THAT(streamed->body, HasSubstr("interrupted"));
  EXPECT_EQ(Stat(big_port_, "received"), 0);
  Result<RawResponse> plain =
      RawHttp(serving->port, "POST", "/v1/chat/completions",
              R"({"model":"small","messages":[{"role":"user","content":"hi"}]})", kDeadline);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->status, 200) << plain->body;
  EXPECT_THAT(plain->head, HasSubstr("x-sluice-model: big\r\n"));
  EXPECT_EQ(Stat(big_port_, "answered"), 1);
}

// A model with a rate_limited fallback makes no request wait for room: once small's one
// request a minute is spent, the next goes to big at once.
TEST_F(FallbackTest, TheProxyTriesTheFallbackWhenTheModelHasNoRoom) {
  Start({"--rpm", "1"}, "rate_limited", {}, 1);
  Result<Serving> serving = StartServe(fixture_.config_path());
  ASSERT_TRUE(serving.ok()) << serving.status();
  std::string body = R"({"model":"small","messages":[{"role":"user","content":"hi"}]})";
  for (const char* expected : {"small", "big", "big"}) {
    Result<RawResponse> answer =
        RawHttp(serving->port, "POST", "/v1/chat/completions", body, kDeadline);
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, 200) << answer->body;
    EXPECT_THAT(answer->head, HasSubstr(std::string("x-sluice-model: ") + expected + "\r\n"));
  }
  EXPECT_EQ(Stat(small_port_, "received"), 1) << "small was never sent more than it allows";
  EXPECT_EQ(Stat(big_port_, "answered"), 2);
}

// An alias is counted with its deployment's model's encoding (gpt-4o-mini: o200k_base), exactly.
TEST_F(FallbackTest, AnAliasIsCountedExactlyWithItsDeploymentsEncoding) {
  if (!std::filesystem::exists(SLUICE_FIXTURES_DIR "/../../data/tokenizers/o200k_base.tiktoken")) {
    const char* required = std::getenv("SLUICE_REQUIRE_VOCABULARIES");
    ASSERT_FALSE(required != nullptr && std::string_view(required) == "1")
        << "vocabularies missing: run scripts/setup.sh";
    GTEST_SKIP() << "vocabularies missing: run scripts/fetch_vocabularies.sh";
  }
  Start({}, "unavailable");
  ProcessResult run = fixture_.Run(
      {fixture_.WriteInput("in.jsonl", Line("a", "hello world") + "\n"), "--dry-run",
       "--output", fixture_.Path("out.jsonl")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("estimated tokens: 9 prompt + 8 output cap = 17\n"));
  EXPECT_THAT(run.out, HasSubstr("prompt tokens: exact"));
}

}  // namespace
}  // namespace sluice::test_support
