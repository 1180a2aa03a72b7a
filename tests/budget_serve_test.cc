// Budgets and dry runs through sluice serve's HTTP API (the gateway in process on 127.0.0.1:0, in
// front of `sluice mock`): a batch with a small sluice_max_cost_usd pauses with items pending and
// says why; raising its cap finishes it with every line once. A gateway key over its daily budget
// gets OpenAI's 429 insufficient_quota until the UTC day turns (a FakeClock). A dry run prices
// both modes and sends nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "config/config_parser.h"
#include "support/in_process_gateway.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
constexpr auto kTimeout = std::chrono::seconds(30);
constexpr const char* kTeamKey = "team-a-0123456789abcdef";
constexpr const char* kOtherKey = "team-b-0123456789abcdef";

class BudgetServeTest : public ::testing::Test {
 protected:
  // Starts the mock and the gateway in front of it: `provider` openai (both modes priced) at the
  // fixture's prices ($1 / $2 per million), with `keys_yaml` (a keys: section) if any.
  void StartGateway(const std::string& keys_yaml = "", Clock* clock = nullptr) {
    ASSERT_TRUE(fixture_.Start({}).ok());
    std::string yaml = "data_dir: " + fixture_.Path("data") +
                       "\nmodels:\n  - name: gpt-4o-mini\n"
                       "    prices: {input: 1.0, cached_input: 0.5, output: 2.0}\n"
                       "    deployments:\n      - provider: openai\n"
                       "        base_url: http://127.0.0.1:" +
                       std::to_string(fixture_.mock_port()) +
                       "/v1\n        api_key: sk-test\n        rpm: 6000\n        tpm: 1000000\n"
                       "        max_in_flight: 4\n" +
                       keys_yaml;
    Result<config::Config> config =
        config::ParseConfig(yaml, "sluice.yaml", [](auto) { return std::optional<std::string>(); });
    ASSERT_TRUE(config.ok()) << config.status();
    auto started = InProcessGateway::Start(*config, {.store = nullptr, .clock = clock});
    ASSERT_TRUE(started.ok()) << started.status();
    gateway_ = std::move(started).value();
  }

  RawResponse Call(const std::string& method, const std::string& target,
                   const std::string& body = "", const std::string& key = "sk-test") {
    return gateway_->Call(method, target, body, "application/json", key);
  }

  std::string Upload(const std::string& content, const std::string& key = "sk-test") {
    UploadForm form = BatchUploadForm(content);
    RawResponse file = gateway_->Call("POST", "/v1/files", form.body, form.content_type, key);
    EXPECT_EQ(file.status, 200) << file.body;
    return std::string(JsonObjectOf(file).at("id").as_string());
  }

  RawResponse CreateBatch(const std::string& file_id, const std::string& metadata,
                          const std::string& key = "sk-test") {
    return Call("POST", "/v1/batches",
                R"({"input_file_id":")" + file_id +
                    R"(","endpoint":"/v1/chat/completions","completion_window":"24h",)"
                    R"("metadata":)" +
                    metadata + "}",
                key);
  }

  // Asks for the batch until `wanted` holds (or the deadline passes); the last answer.
  json::object BatchUntil(const std::string& id, const std::function<bool(json::object&)>& wanted) {
    auto deadline = std::chrono::steady_clock::now() + kTimeout;
    json::object batch = JsonObjectOf(Call("GET", "/v1/batches/" + id));
    while (!wanted(batch) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
      batch = JsonObjectOf(Call("GET", "/v1/batches/" + id));
    }
    return batch;
  }

  std::int64_t Received() {
    Result<json::object> stats = fixture_.Stats();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? StatCount(*stats, "received") : -1;
  }

  static bool Paused(json::object& batch) {
    const json::value* sluice = batch.if_contains("sluice");
    const json::value* budget = sluice ? sluice->as_object().if_contains("budget") : nullptr;
    return budget != nullptr && budget->as_object().at("paused").as_bool();
  }

  RunFixture fixture_;
  FakeClock clock_;  // 2026-01-01 00:00 UTC; outlives the gateway that may use it
  std::unique_ptr<InProcessGateway> gateway_;
};

TEST_F(BudgetServeTest, SmallMaxCostPausesAndRaisingItFinishesEveryLineOnce) {
  StartGateway();
  ASSERT_NE(gateway_, nullptr);
  std::string file_id = Upload(RequestLines(30));
  RawResponse created = CreateBatch(file_id, R"({"sluice_max_cost_usd":"0.0003"})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string id(JsonObjectOf(created).at("id").as_string());

  // Paused, and every answer received saved (the counts follow the commits).
  json::object paused = BatchUntil(id, [this](json::object& b) {
    return Paused(b) && b["request_counts"].as_object()["completed"].as_int64() == Received();
  });
  ASSERT_TRUE(Paused(paused)) << json::serialize(paused);
  EXPECT_EQ(paused["status"], "in_progress");
  const json::object& budget = paused["sluice"].as_object()["budget"].as_object();
  EXPECT_THAT(std::string(budget.at("paused_reason").as_string()),
              HasSubstr("its max cost of $0.0003 is reached"));
  EXPECT_LE(budget.at("spent_usd").to_number<double>(), 0.0003);
  EXPECT_EQ(budget.at("reserved_usd").to_number<double>(), 0.0);
  std::int64_t done = paused["request_counts"].as_object()["completed"].as_int64();
  EXPECT_GT(done, 0);
  EXPECT_LT(done, 30);
  EXPECT_EQ(Received(), done) << "a request was sent past the cap";

  RawResponse raised = Call("POST", "/v1/batches/" + id + "/budget", R"({"max_cost_usd":"1"})");
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(JsonObjectOf(raised)["metadata"].as_object()["sluice_max_cost_usd"], "1");
  json::object finished =
      BatchUntil(id, [](json::object& b) { return b["status"] == "completed"; });
  ASSERT_EQ(finished["status"], "completed") << json::serialize(finished);
  EXPECT_EQ(json::serialize(finished["request_counts"]),
            R"({"total":30,"completed":30,"failed":0})");
  RawResponse output =
      Call("GET", "/v1/files/" + std::string(finished["output_file_id"].as_string()) + "/content");
  std::string path = fixture_.WriteInput("out.jsonl", output.body);
  Result<std::vector<OutputLine>> lines = fixture_.ReadOutput(path);
  ASSERT_TRUE(lines.ok());
  EXPECT_TRUE(EachRequestOnce(*lines, 30));
  EXPECT_EQ(Received(), 30) << "a line was sent twice";
}

TEST_F(BudgetServeTest, BudgetsThatAreNotAmountsAre400s) {
  StartGateway();
  ASSERT_NE(gateway_, nullptr);
  std::string file_id = Upload(RequestLines(2));
  for (const char* bad : {R"("abc")", R"("-1")"}) {
    RawResponse created =
        CreateBatch(file_id, std::string(R"({"sluice_max_cost_usd":)") + bad + "}");
    EXPECT_EQ(created.status, 400) << created.body;
    json::object error = JsonObjectOf(created)["error"].as_object();
    EXPECT_EQ(error["param"], "metadata.sluice_max_cost_usd");
    EXPECT_EQ(error["code"], "invalid_value");
    EXPECT_THAT(std::string(error["message"].as_string()),
                HasSubstr("Invalid 'metadata.sluice_max_cost_usd': '"));
  }
  RawResponse created = CreateBatch(file_id, R"({"sluice_max_cost_usd":"5"})");
  ASSERT_EQ(created.status, 200);
  std::string id(JsonObjectOf(created).at("id").as_string());
  RawResponse bad = Call("POST", "/v1/batches/" + id + "/budget", R"({"max_cost_usd":"lots"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_THAT(bad.body, HasSubstr("is not a number of US dollars"));
  EXPECT_EQ(Call("POST", "/v1/batches/" + id + "/budget", "{}").status, 400);
  EXPECT_EQ(Call("POST", "/v1/batches/batch_nope/budget", R"({"max_cost_usd":1})").status, 404);
}

TEST_F(BudgetServeTest, KeyOverItsDailyBudgetGetsInsufficientQuotaUntilTheDayTurns) {
  StartGateway(std::string("keys:\n  - name: team-a\n    key: ") + kTeamKey +
                   "\n    max_cost_usd_per_day: \"0.000001\"\n  - name: team-b\n    key: " +
                   kOtherKey + "\n",
               &clock_);
  ASSERT_NE(gateway_, nullptr);
  const std::string chat =
      R"({"model":"gpt-4o-mini","max_tokens":8,"messages":[{"role":"user","content":"hi"}]})";
  RawResponse first = Call("POST", "/v1/chat/completions", chat, kTeamKey);
  ASSERT_EQ(first.status, 200) << first.body;  // it costs more than the whole day's cap
  RawResponse over = Call("POST", "/v1/chat/completions", chat, kTeamKey);
  ASSERT_EQ(over.status, 429) << over.body;
  json::object error = JsonObjectOf(over)["error"].as_object();
  EXPECT_EQ(error["type"], "insufficient_quota");
  EXPECT_EQ(error["code"], "insufficient_quota");
  EXPECT_THAT(std::string(error["message"].as_string()),
              HasSubstr("gateway key 'team-a': its daily budget of $0.000001 is spent"));
  EXPECT_THAT(over.head, HasSubstr("x-should-retry: false"));
  EXPECT_EQ(Received(), 1) << "the refused request went upstream";
  // The key's batches pause too, sending nothing.
  RawResponse created = CreateBatch(Upload(RequestLines(3), kTeamKey), "{}", kTeamKey);
  ASSERT_EQ(created.status, 200) << created.body;
  std::string batch_id(JsonObjectOf(created).at("id").as_string());
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  json::object batch;
  do {
    batch = JsonObjectOf(Call("GET", "/v1/batches/" + batch_id, "", kTeamKey));
  } while (!Paused(batch) && std::chrono::steady_clock::now() < deadline);
  ASSERT_TRUE(Paused(batch)) << json::serialize(batch);
  EXPECT_THAT(std::string(batch["sluice"].at("budget").at("paused_reason").as_string()),
              HasSubstr("gateway key 'team-a': its daily budget of $0.000001 is spent"));
  EXPECT_EQ(Received(), 1);
  EXPECT_EQ(Call("POST", "/v1/chat/completions", chat, kOtherKey).status, 200);
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Call("POST", "/v1/chat/completions", chat, kTeamKey).status, 200);
}

TEST_F(BudgetServeTest, DryRunPricesBothModesAndSendsNothing) {
  StartGateway();
  ASSERT_NE(gateway_, nullptr);
  std::string file_id = Upload(RequestLines(20));
  RawResponse created = CreateBatch(file_id, R"({"sluice_dry_run":"true"})");
  ASSERT_EQ(created.status, 200) << created.body;
  json::object batch = JsonObjectOf(created);
  EXPECT_EQ(batch["status"], "completed");
  EXPECT_TRUE(batch["output_file_id"].is_null());
  EXPECT_EQ(batch["request_counts"].as_object()["total"], 20);
  json::object dry = batch["sluice"].as_object()["dry_run"].as_object();
  EXPECT_EQ(dry["requests"], 20);
  json::object& modes = dry["modes"].as_object();
  double realtime = modes["realtime"].as_object()["max_cost_usd"].to_number<double>();
  double provider = modes["provider"].as_object()["max_cost_usd"].to_number<double>();
  EXPECT_GT(realtime, 0);
  EXPECT_NEAR(provider, realtime * 0.5, 1e-12);  // OpenAI's batch discount
  EXPECT_EQ(modes["provider"].as_object()["duration_seconds"].to_number<double>(), 24 * 3600.0);
  EXPECT_EQ(dry["auto"].as_object()["mode"], "realtime");
  EXPECT_FALSE(dry["auto"].as_object()["reasons"].as_array().empty());
  std::string id(batch.at("id").as_string());
  json::object again = JsonObjectOf(Call("GET", "/v1/batches/" + id));
  EXPECT_EQ(again["sluice"].as_object()["dry_run"], batch["sluice"].as_object()["dry_run"]);
  EXPECT_EQ(Received(), 0);
}

}  // namespace
}  // namespace sluice::test_support
