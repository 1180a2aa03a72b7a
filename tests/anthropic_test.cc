// `sluice run` and `sluice serve` with an anthropic deployment against FakeAnthropic: OpenAI
// requests reach it as Messages requests with Anthropic's headers, its answers come back as
// OpenAI's chat completions (whole, streamed, in a batch), and a request Anthropic cannot
// honour is a 400 naming the parameter, never sent.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "support/fake_anthropic.h"
#include "support/process.h"
#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);

// Answers each Messages request with its last user text echoed back, streamed when asked.
FakeAnswer Echo(const FakeRequest& request) {
  json::object body = json::parse(request.body).as_object();
  if (body.contains("stream")) return SseAnswer(MessageStream("Bonjour", " Paris"));
  const json::array& messages = body["messages"].as_array();
  const json::value& last = messages.back().as_object().at("content").as_array().back();
  std::string text(last.as_object().at("text").as_string());
  if (text == "overload me") {
    return JsonAnswer(529, ErrorEnvelope("overloaded_error", "Overloaded"),
                      "x-should-retry: false\r\n");
  }
  return JsonAnswer(200, MessageBody("echo: " + text, 20, 7, 5));
}

std::string ConfigText(const std::string& url, const std::string& data_dir) {
  return "data_dir: " + data_dir +
         "\nretry: {base_delay: 20ms, max_delay: 200ms}\n"
         "models:\n"
         "  - name: claude\n"
         "    deployments:\n"
         "      - provider: anthropic\n"
         "        base_url: " +
         url +
         "\n"
         "        api_key: sk-ant-test\n"
         "        model: claude-sonnet-4-5\n"
         "        rpm: 1000\n"
         "        itpm: 100000\n"
         "        otpm: 20000\n"
         "        max_tokens: 300\n";
}

std::string Line(const std::string& id, const std::string& body) {
  return R"({"custom_id":")" + id + R"(","method":"POST","url":"/v1/chat/completions","body":)" +
         body + "}\n";
}

class AnthropicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = FakeAnthropic::Start("sk-ant-test", Echo);
    ASSERT_TRUE(started.ok()) << started.status();
    fake_ = std::move(started).value();
    config_ = fixture_.WriteInput("sluice.yaml", ConfigText(fake_->url(), fixture_.Path("data")));
  }

  std::uint16_t StartServe() {
    Result<Serving> serving = test_support::StartServe(config_);
    EXPECT_TRUE(serving.ok()) << serving.status();
    if (!serving.ok()) return 0;
    serve_ = std::move(serving->process);
    return serving->port;
  }

  RunFixture fixture_;
  std::unique_ptr<FakeAnthropic> fake_;
  std::string config_;
  std::unique_ptr<Process> serve_;
};

TEST_F(AnthropicTest, RunTranslatesEachLineAndRefusesWhatAnthropicCannotHonour) {
  std::string input = fixture_.WriteInput(
      "in.jsonl",
      Line("a", R"({"model":"claude","messages":[{"role":"system","content":"Be brief."},)"
                R"({"role":"user","content":"hello"}],"max_tokens":16,"stop":"END"})") +
          Line("b", R"({"model":"claude","messages":[{"role":"user","content":"hi"}],"n":2})") +
          Line("c", R"({"model":"claude","messages":[{"role":"user","content":"no cap"}]})"));
  Result<ProcessResult> run = RunToCompletion(
      SLUICE_BIN, {"run", input, "--output", fixture_.Path("out.jsonl"), "--config", config_},
      MinimalEnvironment(), kRunDeadline);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->err;
  auto lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 3u);
  const OutputLine& a = (*lines)[0];
  EXPECT_TRUE(a.succeeded);
  EXPECT_EQ(a.content, "echo: hello");
  json::object body = a.json.at("response").at("body").as_object();
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["choices"].as_array()[0].as_object()["finish_reason"], "stop");
  EXPECT_EQ(json::serialize(body["usage"]),
            R"({"prompt_tokens":25,"completion_tokens":7,"total_tokens":32,)"
            R"("prompt_tokens_details":{"cached_tokens":5,"cache_write_tokens":0},)"
            R"("completion_tokens_details":{"reasoning_tokens":0}})");
  const OutputLine& b = (*lines)[1];
  EXPECT_FALSE(b.succeeded);
  EXPECT_EQ(b.json.at("response").at("status_code"), 400);
  EXPECT_EQ(b.json.at("response").at("body").at("error").at("param"), "n");
  EXPECT_EQ((*lines)[2].content, "echo: no cap");

  // What reached Anthropic: two Messages requests (the refused line never left), translated.
  std::vector<FakeRequest> sent = fake_->requests();
  ASSERT_EQ(sent.size(), 2u);
  std::map<std::string, json::object> by_text;
  for (const FakeRequest& r : sent) {
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.Header("authorization"), "");
    json::object m = json::parse(r.body).as_object();
    EXPECT_EQ(m["model"], "claude-sonnet-4-5");
    by_text[std::string(
        m["messages"].as_array().back().at("content").as_array()[0].at("text").as_string())] = m;
  }
  EXPECT_EQ(by_text["hello"]["system"], "Be brief.");
  EXPECT_EQ(by_text["hello"]["max_tokens"], 16);
  EXPECT_EQ(json::serialize(by_text["hello"]["stop_sequences"]), R"(["END"])");
  EXPECT_EQ(by_text["no cap"]["max_tokens"], 300);  // the deployment's max_tokens
}

TEST_F(AnthropicTest, ADryRunPacesPromptsByTheInputBudget) {
  std::string config = ConfigText(fake_->url(), fixture_.Path("data"));
  config.replace(config.find("itpm: 100000"), 12, "itpm: 60");
  std::string path = fixture_.WriteInput("slow.yaml", config);
  std::string lines;
  for (int i = 0; i < 20; ++i) {
    lines += Line("l" + std::to_string(i),
                  R"({"model":"claude","messages":[{"role":"user","content":")" +
                      std::string(200, 'a') + R"("}],"max_tokens":5})");
  }
  std::string input = fixture_.WriteInput("in.jsonl", lines);
  Result<ProcessResult> run = RunToCompletion(
      SLUICE_BIN,
      {"run", input, "--output", fixture_.Path("out.jsonl"), "--dry-run", "--config", path},
      MinimalEnvironment(), kRunDeadline);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->err;
  // About 20 × 50 prompt tokens at 60 a minute: over ten minutes, where the caps alone would
  // take no time at all.
  std::smatch least;
  ASSERT_TRUE(std::regex_search(run->out, least,
                                std::regex(R"(least time at the configured limits: (\d+)m)")))
      << run->out;
  EXPECT_GE(std::stoi(least[1]), 10);
  EXPECT_TRUE(fake_->requests().empty());
}

TEST_F(AnthropicTest, ServeProxiesPlainStreamedAndRefusedRequests) {
  std::uint16_t port = StartServe();
  auto plain =
      RawHttp(port, "POST", "/v1/chat/completions",
              R"({"model":"claude","messages":[{"role":"user","content":"ping"}]})", kTimeout);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->status, 200) << plain->body;
  json::object completion = json::parse(plain->body).as_object();
  EXPECT_EQ(completion["choices"].as_array()[0].at("message").at("content"), "echo: ping");
  EXPECT_EQ(completion["usage"].at("prompt_tokens"), 25);

  auto streamed =
      RawHttp(port, "POST", "/v1/chat/completions",
              R"({"model":"claude","stream":true,"stream_options":{"include_usage":true},)"
              R"("messages":[{"role":"user","content":"stream"}]})",
              kTimeout);
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200);
  EXPECT_NE(streamed->head.find("text/event-stream"), std::string::npos);
  EXPECT_NE(streamed->body.find(R"("delta":{"content":"Bonjour"})"), std::string::npos)
      << streamed->body;
  EXPECT_NE(streamed->body.find(R"("delta":{"content":" Paris"})"), std::string::npos);
  EXPECT_NE(streamed->body.find(R"("finish_reason":"stop")"), std::string::npos);
  EXPECT_NE(
      streamed->body.find(R"("choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5)"),
      std::string::npos)
      << streamed->body;
  EXPECT_TRUE(streamed->body.ends_with("data: [DONE]\n\n"));

  auto refused = RawHttp(port, "POST", "/v1/chat/completions",
                         R"({"model":"claude","logprobs":true,"messages":[]})", kTimeout);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(json::parse(refused->body).at("error").at("param"), "logprobs");

  auto overloaded = RawHttp(
      port, "POST", "/v1/chat/completions",
      R"({"model":"claude","messages":[{"role":"user","content":"overload me"}]})", kTimeout);
  ASSERT_TRUE(overloaded.ok());
  EXPECT_EQ(overloaded->status, 503);  // Anthropic's 529, as OpenAI's clients know it
  json::object error = json::parse(overloaded->body).at("error").as_object();
  EXPECT_EQ(error["code"], "overloaded_error");
  EXPECT_EQ(error["message"], "Overloaded");
}

TEST_F(AnthropicTest, ServeRunsABatchOnAnthropic) {
  std::uint16_t port = StartServe();
  UploadForm form = BatchUploadForm(
      Line("x", R"({"model":"claude","messages":[{"role":"user","content":"one"}]})") +
      Line("y",
           R"({"model":"claude","messages":[{"role":"user","content":"two"}],"top_logprobs":2})"));
  auto file = RawHttp(port, "POST", "/v1/files", form.body, kTimeout, form.content_type);
  ASSERT_TRUE(file.ok() && file->status == 200) << (file.ok() ? file->body : "");
  std::string file_id(json::parse(file->body).at("id").as_string());
  auto created = RawHttp(port, "POST", "/v1/batches",
                         R"({"input_file_id":")" + file_id +
                             R"(","endpoint":"/v1/chat/completions","completion_window":"24h"})",
                         kTimeout);
  ASSERT_TRUE(created.ok() && created->status == 200);
  std::string id(json::parse(created->body).at("id").as_string());
  ASSERT_TRUE(serve_->WaitForStderr("batch " + id + " completed", kTimeout).ok())
      << serve_->stderr_text();
  json::object batch =
      json::parse(RawHttp(port, "GET", "/v1/batches/" + id, "", kTimeout)->body).as_object();
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":2,"completed":1,"failed":1})");
  auto output = RawHttp(
      port, "GET", "/v1/files/" + std::string(batch["output_file_id"].as_string()) + "/content", "",
      kTimeout);
  ASSERT_TRUE(output.ok());
  auto lines = fixture_.ReadOutput(fixture_.WriteInput("out.jsonl", output->body));
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0].content, "echo: one");
  auto errors = RawHttp(port, "GET",
                        "/v1/files/" + std::string(batch["error_file_id"].as_string()) + "/content",
                        "", kTimeout);
  ASSERT_TRUE(errors.ok());
  EXPECT_NE(errors->body.find(R"("param":"top_logprobs")"), std::string::npos) << errors->body;
  EXPECT_EQ(fake_->requests().size(), 1u);
}

}  // namespace
}  // namespace sluice::test_support
