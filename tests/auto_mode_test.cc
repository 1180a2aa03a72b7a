// `auto` mode against `sluice mock`: `sluice run --mode auto` runs a short window in real time and
// a long window whose real-time limit is low through the provider's batch API, saying why; a
// provider batch that runs late moves its unfinished lines to real time before the deadline,
// each line answered once; provider mode sends duplicates once and answers every line; and
// over HTTP the Batch object shows the decision.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

constexpr int kLines = 10;
// Lines asking for up to 1,000 output tokens each at 10 tokens a minute: real time needs days.
constexpr const char* kLowLimit = "        tpm: 10\n";

std::string LongLines() {
  std::string text;
  for (int i = 0; i < kLines; ++i) text += RequestLine(i, 1000) + "\n";
  return text;
}

class AutoModeTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> mock_args, const std::string& deployment_extra = "",
             const std::string& provider_batches_extra = "") {
    ASSERT_TRUE(fixture_.Start(std::move(mock_args)).ok());
    fixture_.WriteInput("sluice.yaml", ProviderModeConfig(fixture_, "openai",
                                                          provider_batches_extra) +
                                           deployment_extra);
  }

  ProcessResult Run(const std::string& lines, std::vector<std::string> extra) {
    std::vector<std::string> args = {fixture_.WriteInput("in.jsonl", lines), "--output",
                                     fixture_.Path("out.jsonl")};
    args.insert(args.end(), extra.begin(), extra.end());
    return fixture_.Run(args);
  }

  json::object Stats() {
    Result<json::object> stats = fixture_.Stats();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? *stats : json::object{};
  }

  std::vector<OutputLine> Output() {
    return fixture_.ReadOutput(fixture_.Path("out.jsonl")).value_or(std::vector<OutputLine>{});
  }

  // Starts `sluice serve` on the config.
  bool Serve() {
    Result<Serving> serving = StartServe(fixture_.config_path());
    EXPECT_TRUE(serving.ok()) << serving.status();
    if (serving.ok()) serving_ = std::move(*serving);
    return serving.ok();
  }

  // A request to the gateway that must answer 200 with a JSON object.
  json::object Call(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& type) {
    auto response = RawHttp(serving_.port, method, target, body, std::chrono::seconds(30), type);
    EXPECT_TRUE(response.ok() && response->status == 200)
        << target << ": " << (response.ok() ? response->body : response.status().ToString());
    return response.ok() ? json::parse(response->body).as_object() : json::object{};
  }

  RunFixture fixture_;
  Serving serving_;
};

TEST_F(AutoModeTest, AShortWindowRunsInRealTimeAndSaysWhy) {
  Start({});
  ProcessResult run = Run(LongLines(), {"--mode", "auto", "--completion-window", "1h"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("mode: auto chose realtime: 1h00m left is shorter than the "
                                 "provider's batch window of 24h00m; real time needs about"));
  EXPECT_TRUE(AnswersInOrder(Output(), kLines));
  json::object stats = Stats();
  EXPECT_EQ(stats.at("batches").at("created"), 0);
  EXPECT_EQ(StatCount(stats, "received"), kLines);
}

TEST_F(AutoModeTest, ALongWindowWithALowRealTimeLimitRunsThroughTheProvidersBatchApi) {
  Start({}, kLowLimit);
  ProcessResult run = Run(LongLines(), {"--mode", "auto"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("mode: auto chose provider: real time needs about "));
  EXPECT_THAT(run.out, HasSubstr("more than 25% of the 24h00m left; the provider's batch API "
                                 "saves $"));
  EXPECT_THAT(run.out, HasSubstr("provider mode: 10 lines sent in 3 provider batches"));
  EXPECT_TRUE(AnswersInOrder(Output(), kLines));
  EXPECT_EQ(Stats().at("batches").at("lines"), kLines);
}

TEST_F(AutoModeTest, ALateProviderBatchMovesItsUnfinishedLinesToRealTimeBeforeTheDeadline) {
  // Provider batches never finish; real time needs nothing at these limits, so the lines move
  // one move_margin before the 3 s deadline.
  Start({"--batch-never-finish", "1"}, "", ", move_margin: 2s");
  ProcessResult run = Run(RequestLines(kLines), {"--mode", "provider", "--completion-window", "3s"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("then moved its unfinished lines to real time: 10 unfinished "
                                 "lines need about 0s in real time"));
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(AnswersInOrder(lines, kLines)) << "each line answered once, in real time";
  json::object stats = Stats();
  EXPECT_EQ(stats.at("batches").at("lines"), kLines) << "no line was submitted twice";
  json::object upstream = json::parse(RawHttp(fixture_.mock_port(), "GET", "/v1/batches?limit=10",
                                              "", std::chrono::seconds(10))
                                          ->body)
                              .as_object();
  for (const json::value& b : upstream.at("data").as_array()) {
    EXPECT_THAT(std::string(b.at("status").as_string()), HasSubstr("cancel"))
        << "the provider batches were cancelled upstream";
  }
}

TEST_F(AutoModeTest, ProviderModeSendsIdenticalLinesOnceAndAnswersEveryLine) {
  Start({});
  // Embeddings are deduplicated by default: lines 5..9 repeat lines 0..4.
  std::string lines;
  for (int i = 0; i < kLines; ++i) {
    lines += R"({"custom_id":"req-)" + std::to_string(i) +
             R"(","method":"POST","url":"/v1/embeddings","body":{"model":"gpt-4o-mini",)"
             R"("input":"text )" + std::to_string(i % 5) + "\"}}\n";
  }
  ProcessResult run = Run(lines, {"--mode", "provider"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(": 10 requests, 10 succeeded, 0 failed\n"));
  EXPECT_THAT(run.out, HasSubstr("dedup: 5 requests not sent"));
  std::vector<OutputLine> output = Output();
  std::set<std::string> ids;
  for (const OutputLine& line : output) {
    EXPECT_TRUE(line.succeeded) << line.custom_id;
    ids.insert(line.custom_id);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kLines)) << "every line answered once";
  EXPECT_EQ(output.size(), static_cast<std::size_t>(kLines));
  EXPECT_EQ(Stats().at("batches").at("lines"), 5);
}

TEST_F(AutoModeTest, ProviderModeSubmitsOnlyWhatFitsUnderTheBatchsCostCap) {
  Start({});
  // Each line may cost about $0.00002 at the batch price: half of them fit under $0.0001.
  std::string input = fixture_.WriteInput("in.jsonl", RequestLines(kLines));
  auto run = [&](const std::string& cap) {
    return fixture_.Run({input, "--output", fixture_.Path("out.jsonl"), "--mode", "provider",
                         "--max-cost", cap});
  };
  ProcessResult capped = run("0.0001");
  EXPECT_EQ(capped.exit_code, 1) << capped.err;
  EXPECT_THAT(capped.err, HasSubstr("paused for budget"));
  std::int64_t first = Stats().at("batches").at("lines").as_int64();
  EXPECT_GT(first, 0);
  EXPECT_LT(first, kLines);
  ProcessResult raised = run("1");
  ASSERT_EQ(raised.exit_code, 0) << raised.err;
  EXPECT_TRUE(AnswersInOrder(Output(), kLines));
  EXPECT_EQ(Stats().at("batches").at("lines"), kLines) << "no line was submitted twice";
}

TEST_F(AutoModeTest, ABadCompletionWindowIsAUsageError) {
  Start({});
  ProcessResult run = Run(RequestLines(1), {"--completion-window", "soon"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "sluice run: --completion-window: 'soon' is not a duration such as 24h, 90m or 30s\n");
}

TEST_F(AutoModeTest, TheBatchObjectShowsTheDecisionAndItsReasons) {
  Start({}, kLowLimit);
  ASSERT_TRUE(Serve());
  auto call = [&](const std::string& method, const std::string& target, const std::string& body,
                  const std::string& type = "application/json") {
    return Call(method, target, body, type);
  };
  UploadForm form = BatchUploadForm(LongLines());
  json::object file = call("POST", "/v1/files", form.body, form.content_type);
  auto create = [&](const std::string& window) {
    json::object batch = call("POST", "/v1/batches",
                              R"({"input_file_id":")" + std::string(file.at("id").as_string()) +
                                  R"(","endpoint":"/v1/chat/completions","completion_window":")" +
                                  window + R"(","metadata":{"sluice_mode":"auto"}})");
    std::string id(batch.at("id").as_string());
    Status started = serving_.process->WaitForStderr("batch " + id + ": auto chose",
                                                     std::chrono::seconds(30));
    EXPECT_TRUE(started.ok()) << serving_.process->stderr_text();
    return call("GET", "/v1/batches/" + id, "").at("sluice").as_object();
  };
  json::object day = create("24h");
  EXPECT_EQ(day.at("mode"), "provider");
  const json::object& decision = day.at("mode_decision").as_object();
  EXPECT_EQ(decision.at("requested"), "auto");
  EXPECT_EQ(decision.at("chosen"), "provider");
  EXPECT_THAT(std::string(decision.at("reasons").at(0).as_string()),
              HasSubstr("real time needs about"));
  EXPECT_TRUE(decision.at("decided_at").is_int64());
  EXPECT_TRUE(decision.at("moved_to_realtime").is_null());

  json::object hour = create("1h");
  EXPECT_EQ(hour.at("mode"), "realtime");
  EXPECT_THAT(std::string(hour.at("mode_decision").at("reasons").at(0).as_string()),
              HasSubstr("1h00m left is shorter than the provider's batch window"));
}

TEST_F(AutoModeTest, OverHttpALateProviderBatchMovesToRealTimeAndTheBatchObjectSaysSo) {
  Start({"--batch-never-finish", "1"}, "", ", move_margin: 2s");
  ASSERT_TRUE(Serve());
  auto call = [&](const std::string& method, const std::string& target, const std::string& body,
                  const std::string& type = "application/json") {
    return Call(method, target, body, type);
  };
  UploadForm form = BatchUploadForm(RequestLines(kLines));
  json::object file = call("POST", "/v1/files", form.body, form.content_type);
  json::object created = call("POST", "/v1/batches",
                              R"({"input_file_id":")" + std::string(file.at("id").as_string()) +
                                  R"(","endpoint":"/v1/chat/completions","completion_window":"4s",)"
                                  R"("metadata":{"sluice_mode":"provider"}})");
  std::string id(created.at("id").as_string());
  Status done = serving_.process->WaitForStderr("batch " + id + " completed",
                                                std::chrono::seconds(30));
  ASSERT_TRUE(done.ok()) << serving_.process->stderr_text();
  json::object batch = call("GET", "/v1/batches/" + id, "");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":10,"completed":10,"failed":0})");
  const json::value& moved = batch.at("sluice").at("mode_decision").at("moved_to_realtime");
  ASSERT_TRUE(moved.is_object()) << json::serialize(batch);
  EXPECT_THAT(std::string(moved.at("reason").as_string()), HasSubstr("10 unfinished lines"));
  EXPECT_EQ(Stats().at("batches").at("lines"), kLines) << "no line was submitted twice";
}

}  // namespace
}  // namespace sluice::test_support
