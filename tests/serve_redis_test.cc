// `sluice serve` on Redis (`store: redis://…`) against `sluice mock`: a batch runs with every line
// once and its state is in Redis, not in a SQLite file; a server killed mid-batch and started
// again on the same Redis finishes it with every line once; an unreachable Redis at start is one
// line and exit 1, with no fallback to SQLite; identical lines (dedup) are sent once.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "store/redis/redis_client.h"
#include "support/process.h"
#include "support/raw_http.h"
#include "support/redis_server.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);

class ServeRedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = SharedRedisServer();
    if (redis_ == nullptr) GTEST_SKIP() << kNoRedisServer;
  }

  // Starts the mock and writes the fixture's config with `store: <store_url>` in front.
  void Configure(const std::vector<std::string>& mock_args, const std::string& store_url) {
    ASSERT_TRUE(fixture_.Start(mock_args).ok());
    std::ifstream in(fixture_.config_path());
    std::stringstream config;
    config << "store: " << store_url << "\n" << in.rdbuf();
    fixture_.WriteInput("sluice.yaml", config.str());
  }

  void StartServe() {
    Result<Serving> serving = test_support::StartServe(fixture_.config_path());
    ASSERT_TRUE(serving.ok()) << serving.status();
    serve_ = std::move(serving->process);
    port_ = serving->port;
  }

  json::object Call(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& type = "application/json") {
    auto response = RawHttp(port_, method, target, body, kTimeout, type);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 200) << method << " " << target << ": " << response->body;
    boost::system::error_code ec;
    json::value parsed = json::parse(response->body, ec);
    return !ec && parsed.is_object() ? parsed.get_object() : json::object{};
  }

  // A batch of `input`, with `extra` (`,"key":value`) added to the create request.
  std::string CreateBatchOf(const std::string& input, const std::string& extra = "") {
    UploadForm form = BatchUploadForm(input);
    json::object file = Call("POST", "/v1/files", form.body, form.content_type);
    json::object batch =
        Call("POST", "/v1/batches",
             R"({"input_file_id":")" + std::string(file["id"].as_string()) +
                 R"(","endpoint":"/v1/chat/completions","completion_window":"24h")" + extra +
                 "}");
    return batch.contains("id") ? std::string(batch.at("id").as_string()) : "";
  }
  std::string CreateBatch(int lines) { return CreateBatchOf(RequestLines(lines)); }

  json::object WaitForStatus(const std::string& id, const std::string& status) {
    Status logged = serve_->WaitForStderr("batch " + id + " " + status, kTimeout);
    EXPECT_TRUE(logged.ok()) << logged << "\n" << serve_->stderr_text();
    return Call("GET", "/v1/batches/" + id);
  }

  std::vector<OutputLine> Download(const json::object& batch) {
    std::string file_id(batch.at("output_file_id").as_string());
    auto response = RawHttp(port_, "GET", "/v1/files/" + file_id + "/content", "", kTimeout);
    EXPECT_TRUE(response.ok());
    std::string path = fixture_.WriteInput("download.jsonl", response.ok() ? response->body : "");
    return fixture_.ReadOutput(path).value_or(std::vector<OutputLine>{});
  }

  // A field of batch `id`'s record in Redis, read without sluice.
  std::string BatchFieldInRedis(const std::string& id, const std::string& field) {
    auto client = store::redis::RedisClient::Connect(*store::redis::ParseRedisUrl(redis_->url()));
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) return "";
    auto reply = (*client)->Call({"HGET", "{sluice}:batch:" + id, field});
    return reply.ok() ? reply->text : reply.status().ToString();
  }

  RedisServer* redis_ = nullptr;
  RunFixture fixture_;
  std::unique_ptr<Process> serve_;
  std::uint16_t port_ = 0;
};

TEST_F(ServeRedisTest, ABatchRunsWithEveryLineOnceAndItsStateIsInRedis) {
  Configure({}, redis_->url());
  StartServe();
  constexpr int kLines = 60;
  std::string id = CreateBatch(kLines);
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":60,"completed":60,"failed":0})");
  EXPECT_TRUE(EachRequestOnce(Download(batch), kLines));
  EXPECT_EQ(BatchFieldInRedis(id, "status"), "completed");
  EXPECT_FALSE(std::filesystem::exists(fixture_.Path("data/sluice.db")));
}

// Dedup on Redis: each line twice in the file is sent once, its copy answered with it.
TEST_F(ServeRedisTest, IdenticalLinesAreSentOnceAndAnsweredUnderEachId) {
  Configure({}, redis_->url());
  StartServe();
  std::string copies = std::regex_replace(RequestLines(20), std::regex("\"req-"), "\"dup-");
  std::string id =
      CreateBatchOf(RequestLines(20) + copies, R"(,"metadata":{"sluice_dedup":"always"})");
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(json::serialize(batch["request_counts"]), R"({"total":40,"completed":40,"failed":0})");
  EXPECT_EQ(batch["sluice"].at("dedup").at("requests_saved"), 20);
  std::vector<OutputLine> lines = Download(batch);
  ASSERT_EQ(lines.size(), 40u);
  for (std::size_t i = 20; i < 40; ++i) {
    EXPECT_EQ(lines[i].custom_id, "dup-" + lines[i - 20].custom_id.substr(4));
    EXPECT_EQ(lines[i].content, lines[i - 20].content);
  }
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 20);
}

TEST_F(ServeRedisTest, KilledMidBatchTheNextServerFinishesItWithEveryLineOnce) {
  Configure({"--ttfb", "100ms"}, redis_->url());
  StartServe();
  constexpr int kLines = 200;
  std::string id = CreateBatch(kLines);
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (std::chrono::steady_clock::now() < deadline &&
         Call("GET", "/v1/batches/" + id)["request_counts"].as_object()["completed"].as_int64() <
             30) {
  }
  ASSERT_TRUE(serve_->Signal(SIGKILL).ok());
  EXPECT_EQ(serve_->Wait(kTimeout).value_or(-1), 128 + SIGKILL);

  StartServe();  // a new process: all it knows of the batch is in Redis
  json::object batch = WaitForStatus(id, "completed");
  EXPECT_EQ(batch["request_counts"].as_object()["completed"], kLines);
  EXPECT_TRUE(EachRequestOnce(Download(batch), kLines));
}

TEST_F(ServeRedisTest, TwoServersOnOneRedisSeeTheSameBatchesAndFiles) {
  Configure({}, redis_->url());
  StartServe();  // a second node: the same Redis and the same (shared) data_dir
  std::unique_ptr<Process> second = std::move(serve_);
  std::uint16_t second_port = port_;
  StartServe();

  std::string id = CreateBatch(20);
  json::object batch = WaitForStatus(id, "completed");
  port_ = second_port;
  json::object seen = Call("GET", "/v1/batches/" + id);
  EXPECT_EQ(seen["status"], "completed");
  EXPECT_EQ(seen["output_file_id"], batch["output_file_id"]);
  EXPECT_TRUE(EachRequestOnce(Download(seen), 20));  // the body written by the first node
  json::object listed = Call("GET", "/v1/batches");
  ASSERT_FALSE(listed["data"].as_array().empty());
  EXPECT_EQ(listed["data"].as_array()[0].as_object().at("id").as_string(), id);
}

// /readyz until its status is `want` (each ask is a round trip through the server and its store).
int ReadyzUntil(std::uint16_t port, int want) {
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  int status = 0;
  while (status != want && std::chrono::steady_clock::now() < deadline) {
    auto response = RawHttp(port, "GET", "/readyz", "", kTimeout);
    status = response.ok() ? response->status : 0;
  }
  return status;
}

TEST_F(ServeRedisTest, ReadyzIs503WhileRedisIsGoneAndServeReconnectsWhenItIsBack) {
  auto own = RedisServer::Start();  // this test stops it
  ASSERT_TRUE(own.ok()) << own.status();
  int redis_port = (*own)->port();
  Configure({}, (*own)->url());
  StartServe();
  EXPECT_EQ(ReadyzUntil(port_, 200), 200);
  own->reset();
  EXPECT_EQ(ReadyzUntil(port_, 503), 503);
  RedisServerOptions same_port;
  same_port.port = redis_port;
  auto back = RedisServer::Start(same_port);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ReadyzUntil(port_, 200), 200);
}

TEST_F(ServeRedisTest, AnUnreachableRedisAtStartIsOneLineAndExitOne) {
  // Port 1 of loopback: nothing listens there (only root could).
  Configure({}, "redis://:hunter2@127.0.0.1:1/0");
  Result<ProcessResult> r = RunToCompletion(
      SLUICE_BIN, {"--config", fixture_.config_path(), "serve", "--listen", "127.0.0.1:0"},
      MinimalEnvironment(), kTimeout);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_EQ(r->out, "") << "nothing may listen";
  EXPECT_TRUE(r->err.starts_with("sluice: Redis at redis://<redacted>@127.0.0.1:1/0: ")) << r->err;
  EXPECT_EQ(std::count(r->err.begin(), r->err.end(), '\n'), 1) << r->err;
  EXPECT_FALSE(std::filesystem::exists(fixture_.Path("data/sluice.db")));  // no fallback
}

}  // namespace
}  // namespace sluice::test_support
