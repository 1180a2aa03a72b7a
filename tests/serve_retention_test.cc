// sluice serve's file retention, in process on 127.0.0.1:0 with the built-in mock upstream, its
// SQLite store in a temporary data_dir and a FakeClock: uploads and batch outputs expire as their
// requests say, the sweeper removes them once their time has come, and the disk gets its bytes
// back.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>

#include "store/memory/memory_store.h"
#include "store/sqlite/database.h"
#include "store/store_errors.h"
#include "support/in_process_gateway.h"

namespace sluice::test_support {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
constexpr auto kTimeout = std::chrono::seconds(30);
constexpr std::int64_t kStart = 1767225600;  // the FakeClock's wall time at the start

std::string Lines(int n) {
  std::string lines;
  for (int i = 0; i < n; ++i) {
    lines += R"({"custom_id":"r)" + std::to_string(i) +
             R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini",)"
             R"("messages":[{"role":"user","content":"hi"}]}})"
             "\n";
  }
  return lines;
}

std::vector<FormField> ExpiresAfter(std::string seconds, std::string anchor = "created_at") {
  return {{"expires_after[anchor]", std::move(anchor)},
          {"expires_after[seconds]", std::move(seconds)}};
}

class ServeRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("OPENAI_API_KEY");  // no models configured: the built-in mock upstream
    std::string dir = fs::temp_directory_path() / "sluice-serve-retention-XXXXXX";
    data_dir_ = mkdtemp(dir.data());
    config::Config config = config::DefaultConfig();
    config.store.data_dir = data_dir_;
    config.retention.sweep_interval = 1min;
    auto started = InProcessGateway::Start(config, {.store = MakeStore(), .clock = &clock_});
    ASSERT_TRUE(started.ok()) << started.status();
    gateway_ = std::move(started).value();
  }

  // The store the server uses; null: SQLite in data_dir.
  virtual std::unique_ptr<store::Store> MakeStore() { return nullptr; }

  RawResponse Call(const std::string& method, const std::string& target,
                   const std::string& body = "", const std::string& type = "application/json") {
    return gateway_->Call(method, target, body, type);
  }

  static json::object Json(const RawResponse& response) { return JsonObjectOf(response); }

  // Moves the fake clock a second at a time until `wanted` holds or the test's deadline passes;
  // whether it held. After each step a file listing goes through the server's io and store
  // threads, so what the step woke (queued on them before it) has run when it returns: the test
  // waits on the server's answers, never on a sleep.
  bool Until(const std::function<bool()>& wanted) {
    auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (!wanted()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      clock_.Advance(1s);
      (void)Call("GET", "/v1/files?limit=1");
    }
    return true;
  }

  RawResponse Upload(const std::string& content, const std::vector<FormField>& fields = {}) {
    UploadForm form = BatchUploadForm(content, fields);
    return Call("POST", "/v1/files", form.body, form.content_type);
  }

  std::string BodyPath(const std::string& id) const { return data_dir_ + "/files/" + id; }

  // The bytes everything in data_dir takes.
  std::uintmax_t DataDirBytes() const {
    std::uintmax_t bytes = 0;
    for (const auto& entry : fs::recursive_directory_iterator(data_dir_)) {
      std::error_code ec;
      if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
    }
    return bytes;
  }

  // The rows of `table` in the store's database, read over a connection of the test's own.
  std::int64_t Rows(const std::string& table) {
    auto db = store::sqlite::Database::Open(data_dir_ + "/sluice.db");
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return -1;
    auto count = (*db)->Prepare("SELECT COUNT(*) FROM " + table);
    if (!count.ok() || !count->Step().value_or(false)) return -1;
    return count->Int(0);
  }

  FakeClock clock_;  // outlives the gateway
  std::string data_dir_;
  std::unique_ptr<InProcessGateway> gateway_;
};

TEST_F(ServeRetentionTest, AnUploadExpiresAsAskedAndTheSweeperGivesItsBytesBack) {
  ASSERT_NE(gateway_, nullptr);
  std::string big(4'000'000, 'x');
  std::vector<std::string> expiring;
  for (int i = 0; i < 3; ++i) {
    RawResponse uploaded = Upload(Lines(1) + big + "\n", ExpiresAfter("3600"));
    ASSERT_EQ(uploaded.status, 200) << uploaded.body;
    json::object file = Json(uploaded);
    EXPECT_EQ(file.at("expires_at"), file.at("created_at").as_int64() + 3600);
    expiring.emplace_back(file.at("id").as_string());
  }
  RawResponse kept = Upload(Lines(1));  // purpose=batch: OpenAI's 30 days
  ASSERT_EQ(kept.status, 200) << kept.body;
  std::string kept_id(Json(kept).at("id").as_string());
  EXPECT_EQ(Json(kept).at("expires_at"), kStart + 30 * 86400);
  std::uintmax_t before = DataDirBytes();
  EXPECT_EQ(Rows("files"), 4);

  clock_.Advance(3600s);
  ASSERT_TRUE(Until([&] {
    for (const std::string& id : expiring) {
      if (fs::exists(BodyPath(id))) return false;
    }
    return Rows("files") == 1;
  })) << "the expired files were not swept";
  std::uintmax_t after = DataDirBytes();
  RecordProperty("data_dir_bytes_before", std::to_string(before));
  RecordProperty("data_dir_bytes_after", std::to_string(after));
  // The three bodies are gone; the SQLite WAL may grow by a few pages meanwhile.
  EXPECT_LT(after + 3 * big.size(), before + 1'000'000)
      << "before " << before << ", after " << after;
  for (const std::string& id : expiring) {
    EXPECT_EQ(Call("GET", "/v1/files/" + id).status, 404);
    RawResponse content = Call("GET", "/v1/files/" + id + "/content");
    EXPECT_EQ(content.status, 404);
    EXPECT_EQ(Json(content).at("error").at("message"), json::value("No such File object: " + id));
  }
  EXPECT_EQ(Call("GET", "/v1/files/" + kept_id).status, 200);
  EXPECT_TRUE(fs::exists(BodyPath(kept_id)));
  json::array listed = Json(Call("GET", "/v1/files")).at("data").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("id"), json::value(kept_id));
}

TEST_F(ServeRetentionTest, AWrongExpiresAfterIs400NamingItAndStoresNothing) {
  ASSERT_NE(gateway_, nullptr);
  struct Case {
    std::vector<FormField> fields;
    std::string param;
  };
  std::vector<Case> cases = {
      {ExpiresAfter("3599"), "expires_after[seconds]"},
      {ExpiresAfter("2592001"), "expires_after[seconds]"},
      {ExpiresAfter("soon"), "expires_after[seconds]"},
      {ExpiresAfter("3600", "uploaded_at"), "expires_after[anchor]"},
      {{{"expires_after[seconds]", "3600"}}, "expires_after[anchor]"},
  };
  for (const Case& c : cases) {
    RawResponse refused = Upload(Lines(1), c.fields);
    EXPECT_EQ(refused.status, 400) << refused.body;
    json::object error = Json(refused).at("error").as_object();
    EXPECT_EQ(error.at("type"), "invalid_request_error");
    EXPECT_EQ(error.at("param"), json::value(c.param)) << refused.body;
  }
  EXPECT_TRUE(fs::is_empty(data_dir_ + "/files"));
  EXPECT_EQ(Rows("files"), 0);
}

TEST_F(ServeRetentionTest, ABatchsOutputExpiresAsOutputExpiresAfterSaysAndTheBatchStays) {
  ASSERT_NE(gateway_, nullptr);
  RawResponse input = Upload(Lines(3), ExpiresAfter("3600"));
  ASSERT_EQ(input.status, 200) << input.body;
  std::string input_id(Json(input).at("id").as_string());
  RawResponse refused = Call("POST", "/v1/batches",
                             R"({"input_file_id":")" + input_id +
                                 R"(","endpoint":"/v1/chat/completions","completion_window":"24h",)"
                                 R"("output_expires_after":{"anchor":"created_at","seconds":60}})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Json(refused).at("error").at("param"), "output_expires_after.seconds");

  RawResponse created =
      Call("POST", "/v1/batches",
           R"({"input_file_id":")" + input_id +
               R"(","endpoint":"/v1/chat/completions","completion_window":"24h",)"
               R"("output_expires_after":{"anchor":"created_at","seconds":7200}})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string batch_id(Json(created).at("id").as_string());
  EXPECT_FALSE(Json(created).contains("output_expires_after"));
  json::object batch;
  ASSERT_TRUE(Until([&] {
    batch = Json(Call("GET", "/v1/batches/" + batch_id));
    return batch.at("status") == "completed";
  })) << json::serialize(batch);
  std::string output_id(batch.at("output_file_id").as_string());
  json::object output = Json(Call("GET", "/v1/files/" + output_id));
  EXPECT_EQ(output.at("purpose"), "batch_output");
  EXPECT_EQ(output.at("expires_at"), output.at("created_at").as_int64() + 7200);

  // The input goes first, then the output; the batch is left as it was.
  std::int64_t output_expiry = output.at("expires_at").as_int64();
  clock_.Advance(3600s);
  ASSERT_TRUE(Until([&] { return !fs::exists(BodyPath(input_id)); }));
  EXPECT_EQ(Call("GET", "/v1/files/" + input_id).status, 404);
  EXPECT_TRUE(fs::exists(BodyPath(output_id)));
  clock_.Advance(3600s);
  ASSERT_TRUE(Until([&] { return !fs::exists(BodyPath(output_id)); }));
  EXPECT_GE(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.WallNow().time_since_epoch()).count(),
      output_expiry);
  EXPECT_EQ(Call("GET", "/v1/files/" + output_id + "/content").status, 404);
  json::object after = Json(Call("GET", "/v1/batches/" + batch_id));
  EXPECT_EQ(after.at("status"), "completed");
  EXPECT_EQ(after.at("output_file_id"), json::value(output_id));
  EXPECT_EQ(after.at("request_counts").at("completed"), 3);
  EXPECT_EQ(Rows("items"), 0);
  EXPECT_EQ(Rows("results"), 0);
}

// The same server over a store that fails on demand.
class ServeRetentionFaultTest : public ServeRetentionTest {
 protected:
  std::unique_ptr<store::Store> MakeStore() override {
    auto store = std::make_unique<store::MemoryStore>();
    store_ = store.get();
    return store;
  }
  store::MemoryStore* store_ = nullptr;  // owned by the server
};

TEST_F(ServeRetentionFaultTest, ASweepTheStoreFailsIsLoggedAndTheNextOneRemovesTheFile) {
  ASSERT_NE(gateway_, nullptr);
  RawResponse uploaded = Upload(Lines(1), ExpiresAfter("3600"));
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  std::string id(Json(uploaded).at("id").as_string());
  store_->Inject({.error = store::IoError("read"),
                  .calls = {store::StoreCall::kListExpiredFiles},
                  .times = 2});
  clock_.Advance(3600s);
  // The bytes go first, the record after.
  ASSERT_TRUE(Until([&] {
    return !fs::exists(BodyPath(id)) &&
           store_->GetFile(id).status().code() == StatusCode::kNotFound;
  }));
  EXPECT_EQ(store_->failed_calls(), 2);  // two sweeps failed, the third removed the file
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
  EXPECT_EQ(Call("GET", "/v1/files/" + id).status, 404);
}

}  // namespace
}  // namespace sluice::test_support
