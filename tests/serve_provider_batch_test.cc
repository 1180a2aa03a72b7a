// `sluice serve` in provider mode against `sluice mock`'s batch APIs: a batch created with
// metadata.sluice_mode "provider" runs through OpenAI's Files + Batches API and ends with the
// same output file as in real time; an unknown mode is a 400 naming the parameter; a cancel
// cancels the provider batches upstream; a server killed while it polls resumes them.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);
constexpr int kLines = 10;

class ServeProviderBatchTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> mock_args) {
    ASSERT_TRUE(fixture_.Start(std::move(mock_args)).ok());
    fixture_.WriteInput("sluice.yaml", ProviderModeConfig(fixture_, "openai"));
    Result<Serving> serving = StartServe(fixture_.config_path());
    ASSERT_TRUE(serving.ok()) << serving.status();
    serve_ = std::move(serving->process);
    port_ = serving->port;
  }

  json::object Call(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body = "", int want = 200,
                    const std::string& type = "application/json") {
    auto response = RawHttp(port, method, target, body, kTimeout, type);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, want) << method << " " << target << ": " << response->body;
    boost::system::error_code ec;
    json::value parsed = json::parse(response->body, ec);
    return !ec && parsed.is_object() ? parsed.get_object() : json::object{};
  }

  std::string Create(const std::string& metadata, int want = 200) {
    UploadForm form = BatchUploadForm(RequestLines(kLines));
    json::object file = Call(port_, "POST", "/v1/files", form.body, 200, form.content_type);
    json::object batch = Call(port_, "POST", "/v1/batches",
                              R"({"input_file_id":")" + std::string(file.at("id").as_string()) +
                                  R"(","endpoint":"/v1/chat/completions","completion_window":)"
                                  R"("24h","metadata":)" +
                                  metadata + "}",
                              want);
    last_ = batch;
    return batch.contains("id") ? std::string(batch.at("id").as_string()) : "";
  }

  json::object WaitForStatus(const std::string& id, const std::string& status) {
    Status logged = serve_->WaitForStderr("batch " + id + " " + status, kTimeout);
    EXPECT_TRUE(logged.ok()) << logged << "\n" << serve_->stderr_text();
    return Call(port_, "GET", "/v1/batches/" + id);
  }

  std::vector<OutputLine> Download(const json::value& file_id) {
    auto response = RawHttp(
        port_, "GET", "/v1/files/" + std::string(file_id.as_string()) + "/content", "", kTimeout);
    EXPECT_TRUE(response.ok());
    std::string path = fixture_.WriteInput("download.jsonl", response.ok() ? response->body : "");
    return fixture_.ReadOutput(path).value_or(std::vector<OutputLine>{});
  }

  std::int64_t BatchesCreated() {
    Result<json::object> stats = fixture_.Stats();
    return stats.ok() ? stats->at("batches").at("created").as_int64() : -1;
  }

  RunFixture fixture_;
  std::unique_ptr<Process> serve_;
  std::uint16_t port_ = 0;
  json::object last_;
};

TEST_F(ServeProviderBatchTest, ABatchInProviderModeRunsThroughTheProvidersBatchApi) {
  Start({});
  std::string id = Create(R"({"sluice_mode":"provider"})");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(last_.at("sluice").at("mode"), "provider");
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":10,"completed":10,"failed":0})");
  EXPECT_FALSE(batch.contains("provider_batches")) << "sluice's own state stays hidden";
  EXPECT_TRUE(AnswersInOrder(Download(batch.at("output_file_id")), kLines));
  EXPECT_EQ(BatchesCreated(), 3);
  Result<json::object> stats = fixture_.Stats();
  EXPECT_EQ(stats->at("batches").at("lines"), kLines);
}

TEST_F(ServeProviderBatchTest, AnUnknownModeIsRefusedNamingTheParameter) {
  Start({});
  Create(R"({"sluice_mode":"cheap"})", 400);
  EXPECT_EQ(last_.at("error").at("param"), "metadata.sluice_mode");
  EXPECT_EQ(last_.at("error").at("message"),
            "Invalid 'metadata.sluice_mode': 'cheap'. Use realtime, provider, auto.");
}

TEST_F(ServeProviderBatchTest, CancelCancelsTheProviderBatchesUpstream) {
  Start({"--batch-turnaround", "10m"});  // nothing ends by itself during the test
  std::string id = Create(R"({"sluice_mode":"provider"})");
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (BatchesCreated() < 3 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_FALSE(serve_->Wait(std::chrono::milliseconds(20)).ok());  // also drains its pipes
  }
  ASSERT_EQ(BatchesCreated(), 3);
  Call(port_, "POST", "/v1/batches/" + id + "/cancel");
  json::object batch = WaitForStatus(id, "cancelled");
  EXPECT_EQ(batch.at("status"), "cancelled");
  std::vector<OutputLine> errors = Download(batch.at("error_file_id"));
  ASSERT_EQ(errors.size(), static_cast<std::size_t>(kLines));
  for (const OutputLine& line : errors) {
    EXPECT_EQ(line.json.at("error").at("code"), "batch_cancelled") << line.custom_id;
  }
  json::object upstream = Call(fixture_.mock_port(), "GET", "/v1/batches?limit=10");
  ASSERT_EQ(upstream.at("data").as_array().size(), 3u);
  for (const json::value& b : upstream.at("data").as_array()) {
    EXPECT_EQ(b.at("status"), "cancelled");
  }
}

TEST_F(ServeProviderBatchTest, AServerKilledWhilePollingResumesTheSameProviderBatches) {
  // The batches end 2 s after their creation: long enough to kill the server while it polls.
  Start({"--batch-turnaround", "2s"});
  std::string id = Create(R"({"sluice_mode":"provider"})");
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (BatchesCreated() < 3 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_FALSE(serve_->Wait(std::chrono::milliseconds(20)).ok());
  }
  ASSERT_EQ(BatchesCreated(), 3);
  ASSERT_TRUE(serve_->Signal(SIGKILL).ok());
  ASSERT_TRUE(serve_->Wait(kTimeout).ok());

  Result<Serving> again = StartServe(fixture_.config_path());
  ASSERT_TRUE(again.ok()) << again.status();
  serve_ = std::move(again->process);
  port_ = again->port;
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":10,"completed":10,"failed":0})");
  EXPECT_TRUE(AnswersInOrder(Download(batch.at("output_file_id")), kLines));
  Result<json::object> stats = fixture_.Stats();
  EXPECT_EQ(stats->at("batches").at("created"), 3) << "the restarted server polled the same ones";
  EXPECT_EQ(stats->at("batches").at("lines"), kLines) << "each line submitted once";
}

}  // namespace
}  // namespace sluice::test_support
