// `sluice serve` end to end against `sluice mock`: a batch uploaded, created, run and downloaded
// over the HTTP API; a server killed with SIGKILL mid-batch and started again finishes the batch
// with every line exactly once; SIGTERM drains and exits 0.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>

#include "support/process.h"
#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);

class ServeTest : public ::testing::Test {
 protected:
  // Starts `sluice serve` on the fixture's config; returns its port.
  std::uint16_t StartServe() {
    Result<Serving> serving = test_support::StartServe(fixture_.config_path());
    EXPECT_TRUE(serving.ok()) << serving.status();
    if (!serving.ok()) return 0;
    serve_ = std::move(serving->process);
    return serving->port;
  }

  json::object Call(const std::string& method, const std::string& target,
                    const std::string& body = "", int want = 200,
                    const std::string& type = "application/json") {
    auto response = RawHttp(port_, method, target, body, kTimeout, type);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, want) << method << " " << target << ": " << response->body;
    boost::system::error_code ec;
    json::value parsed = json::parse(response->body, ec);
    return !ec && parsed.is_object() ? parsed.get_object() : json::object{};
  }

  std::string Upload(const std::string& content) {
    UploadForm form = BatchUploadForm(content);
    json::object file = Call("POST", "/v1/files", form.body, 200, form.content_type);
    return file.contains("id") ? std::string(file.at("id").as_string()) : "";
  }

  std::string CreateBatch(const std::string& file_id, const std::string& window = "24h") {
    json::object batch =
        Call("POST", "/v1/batches",
             R"({"input_file_id":")" + file_id +
                 R"(","endpoint":"/v1/chat/completions","completion_window":")" + window + R"("})");
    EXPECT_EQ(batch["status"], "validating");
    return batch.contains("id") ? std::string(batch.at("id").as_string()) : "";
  }

  // Waits for the server to log that the batch reached `status`, then returns the batch.
  json::object WaitForStatus(const std::string& id, const std::string& status) {
    Status logged = serve_->WaitForStderr("batch " + id + " " + status, kTimeout);
    EXPECT_TRUE(logged.ok()) << logged << "\n" << serve_->stderr_text();
    return Call("GET", "/v1/batches/" + id);
  }

  // Asks for the batch until at least `completed` of its requests have (no pause between asks:
  // each answer takes a round trip through the server).
  void WaitForCompleted(const std::string& id, std::int64_t completed) {
    auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      json::object batch = Call("GET", "/v1/batches/" + id);
      if (batch["request_counts"].as_object()["completed"].as_int64() >= completed) return;
    }
    ADD_FAILURE() << "batch " << id << " never had " << completed << " completed requests";
  }

  std::vector<OutputLine> Download(const std::string& file_id) {
    auto response = RawHttp(port_, "GET", "/v1/files/" + file_id + "/content", "", kTimeout);
    EXPECT_TRUE(response.ok());
    std::string path = fixture_.WriteInput("download.jsonl", response.ok() ? response->body : "");
    return fixture_.ReadOutput(path).value_or(std::vector<OutputLine>{});
  }

  // The batch's usage is the sum of its output lines' usage, in OpenAI's Batch shape, and its
  // cost that usage at the fixture's prices ($1 per million input tokens, $2 output), once.
  static void ExpectUsageOf(const json::object& batch, const std::vector<OutputLine>& lines) {
    std::int64_t input = 0;
    std::int64_t output = 0;
    for (const OutputLine& line : lines) {
      const json::object& usage = line.json.at("response").at("body").at("usage").as_object();
      input += usage.at("prompt_tokens").as_int64();
      output += usage.at("completion_tokens").as_int64();
    }
    ASSERT_GT(input, 0);
    const json::object& usage = batch.at("usage").as_object();
    EXPECT_EQ(usage.at("input_tokens"), input);
    EXPECT_EQ(usage.at("output_tokens"), output);
    EXPECT_EQ(usage.at("total_tokens"), input + output);
    EXPECT_EQ(usage.at("input_tokens_details").at("cached_tokens"), 0);
    EXPECT_EQ(usage.at("output_tokens_details").at("reasoning_tokens"), 0);
    const json::value& cost = batch.at("sluice").at("cost");
    double dollars = static_cast<double>(input + 2 * output) / 1e6;
    EXPECT_NEAR(cost.at("spent_usd").to_number<double>(), dollars, 1e-12);
    EXPECT_NEAR(cost.at("estimated_total_usd").to_number<double>(), dollars, 1e-12);
    EXPECT_EQ(cost.at("unpriced_results"), 0);
  }

  RunFixture fixture_;
  std::unique_ptr<Process> serve_;
  std::uint16_t port_ = 0;
};

TEST_F(ServeTest, UploadCreatePollDownload) {
  ASSERT_TRUE(fixture_.Start({}).ok());
  port_ = StartServe();
  std::string file_id = Upload(RequestLines(40));
  ASSERT_FALSE(file_id.empty());
  std::string id = CreateBatch(file_id);
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":40,"completed":40,"failed":0})");
  for (const char* field : {"in_progress_at", "finalizing_at", "completed_at"}) {
    EXPECT_TRUE(batch[field].is_int64()) << field;
  }
  EXPECT_TRUE(batch["error_file_id"].is_null());
  EXPECT_EQ(batch["sluice"].at("tenant"), "default");  // no keys: everyone's tenant
  std::vector<OutputLine> lines = Download(std::string(batch["output_file_id"].as_string()));
  EXPECT_TRUE(AnswersInOrder(lines, 40));
  ExpectUsageOf(batch, lines);
  json::object files = Call("GET", "/v1/files?limit=10");
  EXPECT_EQ(files["data"].as_array().size(), 2u);  // the upload and the output
  ASSERT_TRUE(serve_->Signal(SIGTERM).ok());
  EXPECT_EQ(serve_->Wait(kTimeout).value_or(-1), 0) << serve_->stderr_text();
}

TEST_F(ServeTest, KilledMidBatchResumesAndEveryLineComesOnce) {
  // Slow answers keep the batch running long enough to kill the server in the middle of it.
  ASSERT_TRUE(fixture_
                  .Start({"--ttfb", "100ms"}, {.api_key = "sk-test",
                                               .rpm = 1000000,
                                               .tpm = 1000000000,
                                               .max_in_flight = 8,
                                               .timeout = ""})
                  .ok());
  port_ = StartServe();
  constexpr int kLines = 300;
  std::string id = CreateBatch(Upload(RequestLines(kLines)));
  WaitForCompleted(id, 40);
  ASSERT_TRUE(serve_->Signal(SIGKILL).ok());
  EXPECT_EQ(serve_->Wait(kTimeout).value_or(-1), 128 + SIGKILL);

  port_ = StartServe();  // the same data_dir
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(batch["request_counts"].as_object()["completed"], kLines);
  std::vector<OutputLine> lines = Download(std::string(batch["output_file_id"].as_string()));
  EXPECT_TRUE(EachRequestOnce(lines, kLines));
  ExpectUsageOf(batch, lines);  // the answers before the kill count too, once
  json::object files = Call("GET", "/v1/files");
  EXPECT_EQ(files["data"].as_array().size(), 2u);
  // At most what was in flight at the kill reached the mock twice.
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_LE(StatCount(*stats, "received"), kLines + 8);
}

// metadata.sluice_dedup "always" shares answers even of sampled lines: each request twice in the
// file is sent once; the Batch object counts every line and bills the sent ones only.
TEST_F(ServeTest, DedupSendsIdenticalLinesOnceAndSaysWhatItSaved) {
  ASSERT_TRUE(fixture_.Start({}).ok());
  port_ = StartServe();
  std::string copies = std::regex_replace(RequestLines(20), std::regex("\"req-"), "\"dup-");
  std::string file_id = Upload(RequestLines(20) + copies);
  ASSERT_FALSE(file_id.empty());
  std::string bad = R"({"input_file_id":")" + file_id +
                    R"(","endpoint":"/v1/chat/completions","completion_window":"24h",)"
                    R"("metadata":{"sluice_dedup":"sometimes"}})";
  json::object refused = Call("POST", "/v1/batches", bad, 400);
  EXPECT_EQ(refused["error"].at("param"), "metadata");
  std::string body = R"({"input_file_id":")" + file_id +
                     R"(","endpoint":"/v1/chat/completions","completion_window":"24h",)"
                     R"("metadata":{"sluice_dedup":"always"}})";
  json::object created = Call("POST", "/v1/batches", body);
  std::string id(created["id"].as_string());
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":40,"completed":40,"failed":0})");
  std::vector<OutputLine> lines = Download(std::string(batch["output_file_id"].as_string()));
  ASSERT_EQ(lines.size(), 40u);
  for (std::size_t i = 0; i < 40; ++i) {
    std::string own = CustomId(static_cast<int>(i % 20));
    EXPECT_EQ(lines[i].custom_id, i < 20 ? own : "dup-" + own.substr(4));
    EXPECT_EQ(lines[i].content, lines[i % 20].content);
    EXPECT_EQ(lines[i].json.as_object().contains("sluice_duplicate_of"), i >= 20);
  }
  lines.resize(20);
  ExpectUsageOf(batch, lines);  // billed once: the twenty lines that were sent
  const json::object& dedup = batch["sluice"].at("dedup").as_object();
  EXPECT_EQ(dedup.at("requests_saved"), 20);
  EXPECT_NEAR(dedup.at("saved_usd").to_number<double>(),
              batch["sluice"].at("cost").at("spent_usd").to_number<double>(), 1e-12);
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 20);
}

// A cancel closes the lines that were waiting for an original's answer with it.
TEST_F(ServeTest, CancelClosesDuplicatesWithTheirOriginals) {
  ASSERT_TRUE(fixture_
                  .Start({"--ttfb", "100ms"}, {.api_key = "sk-test",
                                               .rpm = 1000000,
                                               .tpm = 1000000000,
                                               .max_in_flight = 4,
                                               .timeout = ""})
                  .ok());
  port_ = StartServe();
  std::string copies = std::regex_replace(RequestLines(100), std::regex("\"req-"), "\"dup-");
  std::string body = R"({"input_file_id":")" + Upload(RequestLines(100) + copies) +
                     R"(","endpoint":"/v1/chat/completions","completion_window":"24h",)"
                     R"("metadata":{"sluice_dedup":"always"}})";
  std::string id(Call("POST", "/v1/batches", body)["id"].as_string());
  WaitForCompleted(id, 8);
  Call("POST", "/v1/batches/" + id + "/cancel");
  json::object batch = WaitForStatus(id, "cancelled");
  auto counts = batch["request_counts"].as_object();
  EXPECT_EQ(counts["total"], 200);
  EXPECT_EQ(counts["completed"].as_int64() + counts["failed"].as_int64(), 200);
  EXPECT_EQ(counts["completed"].as_int64() % 2, 0);  // each answer twice: its line and its copy
  std::vector<OutputLine> errors = Download(std::string(batch["error_file_id"].as_string()));
  ASSERT_EQ(errors.size(), static_cast<std::size_t>(counts["failed"].as_int64()));
  EXPECT_EQ(errors.back().custom_id, "dup-99");
  EXPECT_EQ(errors.back().json.at("error").at("code"), "batch_cancelled");
}

TEST_F(ServeTest, CancelKeepsPartialResultsAndClosesTheRest) {
  ASSERT_TRUE(fixture_
                  .Start({"--ttfb", "100ms"}, {.api_key = "sk-test",
                                               .rpm = 1000000,
                                               .tpm = 1000000000,
                                               .max_in_flight = 4,
                                               .timeout = ""})
                  .ok());
  port_ = StartServe();
  std::string id = CreateBatch(Upload(RequestLines(200)));
  WaitForCompleted(id, 8);
  json::object cancelling = Call("POST", "/v1/batches/" + id + "/cancel");
  EXPECT_EQ(cancelling["status"], "cancelling");
  json::object batch = WaitForStatus(id, "cancelled");
  auto counts = batch["request_counts"].as_object();
  EXPECT_EQ(counts["completed"].as_int64() + counts["failed"].as_int64(), 200);
  EXPECT_GT(counts["failed"].as_int64(), 100);
  std::vector<OutputLine> errors = Download(std::string(batch["error_file_id"].as_string()));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().json.at("error").at("code"), "batch_cancelled");
  // A finished batch cannot be cancelled.
  json::object refused = Call("POST", "/v1/batches/" + id + "/cancel", "", 400);
  EXPECT_EQ(refused["error"].at("type"), "invalid_request_error");
}

TEST_F(ServeTest, AShortCompletionWindowExpiresTheRest) {
  ASSERT_TRUE(fixture_
                  .Start({"--ttfb", "300ms"}, {.api_key = "sk-test",
                                               .rpm = 1000000,
                                               .tpm = 1000000000,
                                               .max_in_flight = 2,
                                               .timeout = ""})
                  .ok());
  port_ = StartServe();
  // 2 at a time: ~15 s of work. The window leaves a loaded machine seconds to finish some.
  std::string id = CreateBatch(Upload(RequestLines(100)), "5s");
  json::object batch = WaitForStatus(id, "expired");
  EXPECT_TRUE(batch["expired_at"].is_int64());
  auto counts = batch["request_counts"].as_object();
  EXPECT_EQ(counts["completed"].as_int64() + counts["failed"].as_int64(), 100);
  EXPECT_GT(counts["completed"].as_int64(), 0);  // what finished is kept
  std::vector<OutputLine> errors = Download(std::string(batch["error_file_id"].as_string()));
  ASSERT_EQ(static_cast<std::int64_t>(errors.size()), counts["failed"].as_int64());
  EXPECT_EQ(errors.back().json.at("error").at("code"), "batch_expired");
}

TEST_F(ServeTest, InvalidInputFailsTheBatchWithLineErrors) {
  ASSERT_TRUE(fixture_.Start({}).ok());
  port_ = StartServe();
  std::string id = CreateBatch(Upload(RequestLine(0) + "\n{not json\n" + RequestLine(2) + "\n"));
  json::object batch = WaitForStatus(id, "failed");
  json::value error = batch["errors"].at("data").at(0);
  EXPECT_EQ(error.at("code"), "invalid_json_line");
  EXPECT_EQ(error.at("line"), 2);
  EXPECT_TRUE(batch["failed_at"].is_int64());
}

TEST_F(ServeTest, NoRoomWithinTheWaitIsA429FromTheLimiterNotFromUpstream) {
  ASSERT_TRUE(fixture_
                  .Start({}, {.api_key = "sk-test",
                              .rpm = 1,
                              .tpm = 1000000000,
                              .max_in_flight = 4,
                              .timeout = ""})
                  .ok());
  std::ofstream(fixture_.config_path(), std::ios::app) << "proxy: {max_wait: 200ms}\n";
  port_ = StartServe();
  std::string chat = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})";
  Call("POST", "/v1/chat/completions", chat, 200);
  auto refused = RawHttp(port_, "POST", "/v1/chat/completions", chat, kTimeout);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 429) << refused->body;
  EXPECT_EQ(json::parse(refused->body).at("error").at("code"), "rate_limit_exceeded");
  for (const char* header :
       {"retry-after: ", "retry-after-ms: ", "x-request-id: ", "x-ratelimit-limit-requests: 1",
        "x-ratelimit-remaining-requests: 0", "x-ratelimit-reset-tokens: "}) {
    EXPECT_NE(refused->head.find(header), std::string::npos) << header << "\n" << refused->head;
  }
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 1);  // the refused request never went upstream
}

TEST_F(ServeTest, AnUpstream429IsRelayedWithTheProvidersRetryAndLimitHeaders) {
  ASSERT_TRUE(fixture_.Start({"--rpm", "1"}).ok());
  port_ = StartServe();
  std::string chat = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})";
  // The account's one request a minute spent behind sluice's back: sluice's own limiter has
  // room, the provider has none.
  auto spent = RawHttp(fixture_.mock_port(), "POST", "/v1/chat/completions", chat, kTimeout);
  ASSERT_TRUE(spent.ok() && spent->status == 200) << spent.status();
  auto refused = RawHttp(port_, "POST", "/v1/chat/completions", chat, kTimeout);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 429) << refused->body;
  EXPECT_NE(refused->body.find("org-mock"), std::string::npos) << refused->body;  // upstream's
  for (const char* header : {"retry-after: ", "retry-after-ms: ", "x-ratelimit-limit-requests: 1",
                             "x-ratelimit-remaining-requests: 0", "x-ratelimit-reset-requests: "}) {
    EXPECT_NE(refused->head.find(header), std::string::npos) << header << "\n" << refused->head;
  }
}

TEST_F(ServeTest, AProviderRefusingSluicesKeyIsA502NotTheClientsFault) {
  DeploymentOptions stale;
  stale.api_key = "sk-stale";
  ASSERT_TRUE(fixture_.Start({"--api-key", "sk-the-providers-real-key"}, stale).ok());
  port_ = StartServe();
  std::string chat = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})";
  json::object proxied = Call("POST", "/v1/chat/completions", chat, 502);
  EXPECT_EQ(proxied["error"].at("message"),
            "upstream provider rejected sluice's credentials for deployment gpt-4o-mini#0 (HTTP "
            "401)");
  EXPECT_EQ(proxied["error"].at("code"), "upstream_credentials_rejected");
  EXPECT_EQ(proxied["error"].at("type"), "server_error");

  std::string id = CreateBatch(Upload(RequestLines(2)));
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":2,"completed":0,"failed":2})");
  std::vector<OutputLine> errors = Download(std::string(batch["error_file_id"].as_string()));
  ASSERT_EQ(errors.size(), 2u);
  for (const OutputLine& line : errors) {
    EXPECT_TRUE(line.json.at("response").is_null()) << json::serialize(line.json);
    EXPECT_EQ(line.json.at("error").at("code"), "upstream_credentials_rejected");
    EXPECT_NE(std::string(line.json.at("error").at("message").as_string()).find("gpt-4o-mini#0"),
              std::string::npos);
  }
}

// A stream of 1.2 s of generation (8 tokens at 150 ms) through a deployment whose timeout is
// 300 ms: the timeout bounds the head only, the gaps are well within stream_idle_timeout.
TEST_F(ServeTest, ALongStreamIsNotCutByTheDeploymentTimeout) {
  DeploymentOptions short_timeout;
  short_timeout.timeout = "300ms";
  ASSERT_TRUE(fixture_.Start({"--per-token", "150ms"}, short_timeout).ok());
  std::ofstream(fixture_.config_path(), std::ios::app) << "proxy: {stream_idle_timeout: 5s}\n";
  port_ = StartServe();
  auto streamed = RawHttp(
      port_, "POST", "/v1/chat/completions",
      R"({"model":"gpt-4o-mini","stream":true,"max_tokens":8,"stream_options":{"include_usage":true},)"
      R"("messages":[{"role":"user","content":"one two three four five six seven eight"}]})",
      kTimeout);
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200);
  EXPECT_EQ(streamed->body.find("interrupted"), std::string::npos) << streamed->body;
  EXPECT_NE(streamed->body.find("\"completion_tokens\":8"), std::string::npos) << streamed->body;
  EXPECT_TRUE(streamed->body.ends_with("data: [DONE]\n\n")) << streamed->body;
}

TEST_F(ServeTest, AStreamThatGoesQuietIsCutAfterTheIdleTimeout) {
  ASSERT_TRUE(fixture_.Start({"--per-token", "20s"}).ok());
  std::ofstream(fixture_.config_path(), std::ios::app) << "proxy: {stream_idle_timeout: 200ms}\n";
  port_ = StartServe();
  auto streamed = RawHttp(
      port_, "POST", "/v1/chat/completions",
      R"({"model":"gpt-4o-mini","stream":true,"max_tokens":4,"messages":[{"role":"user","content":"hi"}]})",
      kTimeout);
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200);
  EXPECT_NE(streamed->body.find("The upstream stream was interrupted: stream_idle_timeout (200ms)"),
            std::string::npos)
      << streamed->body;
  EXPECT_EQ(streamed->body.find("[DONE]"), std::string::npos) << streamed->body;
}

TEST_F(ServeTest, BadRequestsGetOpenAiErrors) {
  ASSERT_TRUE(fixture_.Start({}).ok());
  port_ = StartServe();
  Call("GET", "/v1/batches/batch_nope", "", 404);
  Call("GET", "/v1/files/file-nope", "", 404);
  Call("DELETE", "/v1/batches", "", 405);
  Call("POST", "/v1/batches", "{not json", 400);
  Call("POST", "/v1/batches", R"({"input_file_id":"file-x"})", 400);
  Call("POST", "/v1/batches",
       R"({"input_file_id":"file-x","endpoint":"/v1/chat/completions","completion_window":"24h"})",
       404);
  Call("POST", "/v1/chat/completions", "{}", 400, "text/plain");
  Call("POST", "/v1/chat/completions", R"({"model":"nope","messages":[]})", 404);
  Call("POST", "/v1/files", "--x--\r\n", 400, "multipart/form-data; boundary=y");
  json::object models = Call("GET", "/v1/models");
  EXPECT_EQ(models["data"].at(0).at("id"), kTestModel);
}

}  // namespace
}  // namespace sluice::test_support
