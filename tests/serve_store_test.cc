// sluice serve's gateway, in process on 127.0.0.1:0 with the built-in mock upstream, over a store
// that fails on demand: while the engine cannot write, /readyz and the proxy answer 503 saying
// why; once the disk has room again the batch finishes without a restart.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "store/memory/memory_store.h"
#include "store/store_errors.h"
#include "support/in_process_gateway.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using store::StoreCall;
constexpr auto kTimeout = std::chrono::seconds(30);

class ServeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("OPENAI_API_KEY");  // no models configured: the built-in mock upstream
    std::string dir = std::filesystem::temp_directory_path() / "sluice-serve-store-XXXXXX";
    config::Config config = config::DefaultConfig();
    config.store.data_dir = mkdtemp(dir.data());
    auto store = std::make_unique<store::MemoryStore>();
    store_ = store.get();
    auto started = InProcessGateway::Start(config, {.store = std::move(store)});
    ASSERT_TRUE(started.ok()) << started.status();
    gateway_ = std::move(started).value();
  }

  RawResponse Call(const std::string& method, const std::string& target,
                   const std::string& body = "", const std::string& type = "application/json") {
    return gateway_->Call(method, target, body, type);
  }

  static json::object Json(const RawResponse& response) { return JsonObjectOf(response); }

  // Asks until `wanted` holds of the answer (or the test's deadline passes); the last answer.
  RawResponse CallUntil(const std::string& target,
                        const std::function<bool(const RawResponse&)>& wanted) {
    auto deadline = std::chrono::steady_clock::now() + kTimeout;
    RawResponse response = Call("GET", target);
    while (!wanted(response) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
      response = Call("GET", target);
    }
    return response;
  }

  std::string Upload(const std::string& content) {
    UploadForm form = BatchUploadForm(content);
    RawResponse file = Call("POST", "/v1/files", form.body, form.content_type);
    EXPECT_EQ(file.status, 200) << file.body;
    return std::string(Json(file).at("id").as_string());
  }

  std::unique_ptr<InProcessGateway> gateway_;
  store::MemoryStore* store_ = nullptr;  // owned by the server
};

TEST_F(ServeStoreTest, AFullDiskIsReportedWhileItLastsAndTheBatchFinishesOnceFreed) {
  ASSERT_NE(gateway_, nullptr);
  std::string lines;
  for (int i = 0; i < 20; ++i) {
    lines += R"({"custom_id":"r)" + std::to_string(i) +
             R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini",)"
             R"("messages":[{"role":"user","content":"hi"}]}})"
             "\n";
  }
  std::string file_id = Upload(lines);
  EXPECT_EQ(Call("GET", "/readyz").status, 200);

  // The disk fills up under the engine's writes.
  store_->Inject(
      {.error = store::DiskFullError("write"),
       .calls = {StoreCall::kExpireLeases, StoreCall::kLeaseItems, StoreCall::kAddResults},
       .times = std::nullopt});
  RawResponse created =
      Call("POST", "/v1/batches",
           R"({"input_file_id":")" + file_id +
               R"(","endpoint":"/v1/chat/completions","completion_window":"24h"})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string batch_id(Json(created).at("id").as_string());

  RawResponse not_ready =
      CallUntil("/readyz", [](const RawResponse& r) { return r.status == 503; });
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_NE(not_ready.body.find("sluice cannot write its store: disk full"), std::string::npos)
      << not_ready.body;
  RawResponse proxied =
      Call("POST", "/v1/chat/completions",
           R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(proxied.status, 503) << proxied.body;
  json::object error = Json(proxied).at("error").as_object();
  EXPECT_EQ(error.at("type"), "server_error");
  EXPECT_NE(std::string(error.at("message").as_string()).find("disk full"), std::string::npos);
  EXPECT_NE(std::string(error.at("message").as_string()).find("retrying"), std::string::npos);

  store_->Heal();  // space is freed
  EXPECT_EQ(CallUntil("/readyz", [](const RawResponse& r) { return r.status == 200; }).status, 200);
  RawResponse done = CallUntil("/v1/batches/" + batch_id, [](const RawResponse& r) {
    return r.body.find(R"("status":"completed")") != std::string::npos;
  });
  json::object batch = Json(done);
  EXPECT_EQ(batch.at("status"), "completed") << done.body;
  EXPECT_EQ(batch.at("request_counts").at("completed"), 20) << done.body;
  EXPECT_EQ(Call("POST", "/v1/chat/completions",
                 R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})")
                .status,
            200);
}

}  // namespace
}  // namespace sluice::test_support
