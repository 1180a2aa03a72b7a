// What RedisStore adds to the conformance suite (store_test.cc): several processes share one
// store, and the Redis it is pointed at is checked before it is used.
#include "store/redis/redis_store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "support/redis_server.h"

namespace sluice::store::redis {
namespace {

using namespace std::chrono_literals;

RedisStoreOptions Options(std::string prefix, std::string consumer = "") {
  RedisStoreOptions options;
  options.key_prefix = std::move(prefix);
  options.consumer = std::move(consumer);
  return options;
}

ResultRecord Answered(std::int64_t index) {
  ResultRecord result;
  result.index = index;
  result.success = true;
  result.status_code = 200;
  return result;
}

class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test_support::SharedRedisServer();
    if (server_ == nullptr) GTEST_SKIP() << test_support::kNoRedisServer;
  }

  // A store as one sluice process opens it: its own connections and consumer name.
  std::unique_ptr<RedisStore> Node(const std::string& name) {
    auto store = RedisStore::Open(server_->url(), Options("shared", name));
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::vector<NewItem> Items(int n) {
    std::vector<NewItem> items;
    for (int i = 0; i < n; ++i) items.push_back({i, "id-" + std::to_string(i), "m", "/e", "{}", 1});
    return items;
  }

  test_support::RedisServer* server_ = nullptr;
  WallTime now_ = WallTime(std::chrono::seconds(1767225600));
};

TEST_F(RedisStoreTest, NodesShareTheQueueAndADeadNodesLeaseIsTakenOver) {
  auto api = Node("api");
  auto worker = Node("worker");
  ASSERT_TRUE(api && worker);
  ASSERT_TRUE(api->CreateBatch({"b", "f", "in_progress", now_, "{}", "t"}).ok());
  ASSERT_TRUE(api->AddItems("b", Items(4)).ok());
  EXPECT_EQ(worker->GetBatch("b")->tenant, "t");
  auto mine = *worker->LeaseItems("b", 3, now_, 60s);
  auto theirs = *api->LeaseItems("b", 3, now_, 60s);
  ASSERT_EQ(mine.size(), 3u);
  ASSERT_EQ(theirs.size(), 1u);  // never an item twice
  EXPECT_EQ(theirs[0].item.index, 3);
  // The worker dies holding its leases: once they end, the API node takes them over.
  auto taken = *api->LeaseItems("b", 10, now_ + 61s, 60s);
  ASSERT_EQ(taken.size(), 4u);
  EXPECT_EQ(taken[0].attempt, 2);
  std::vector<ResultRecord> results;
  for (int i = 0; i < 4; ++i) results.push_back(Answered(i));
  ASSERT_TRUE(api->AddResults("b", results).ok());
  ItemCounts counts = *worker->CountItems("b");
  EXPECT_EQ(counts.succeeded, 4);
  EXPECT_EQ(counts.leased, 0);
  EXPECT_EQ(counts.pending, 0);
  EXPECT_TRUE(worker->LeaseItems("b", 10, now_ + 1h, 60s)->empty());
}

TEST_F(RedisStoreTest, RefusesARedisOfAnotherLayout) {
  auto client = RedisClient::Connect(*ParseRedisUrl(server_->url()));
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->Call({"SET", "{old}:layout", "99"}).ok());
  auto opened = RedisStore::Open(server_->url(), Options("old"));
  ASSERT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(opened.status().message().find("holds sluice layout 99"), std::string::npos)
      << opened.status();
}

TEST_F(RedisStoreTest, AnUnreachableRedisIsUnavailableAndNamed) {
  // A port of this machine nobody listens on: the test server's, once it is gone, is not
  // guaranteed; port 1 needs root to listen on.
  auto opened = RedisStore::Open("redis://:hunter2@127.0.0.1:1/0");
  ASSERT_EQ(opened.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(opened.status().message().find("127.0.0.1:1"), std::string::npos) << opened.status();
  EXPECT_EQ(opened.status().message().find("hunter2"), std::string::npos);
}

TEST_F(RedisStoreTest, APasswordIsSentAndAWrongOneIsPermissionDenied) {
  test_support::RedisServerOptions options;
  options.password = "s3cret";
  auto guarded = test_support::RedisServer::Start(options);
  ASSERT_TRUE(guarded.ok()) << guarded.status();
  std::string at = "127.0.0.1:" + std::to_string((*guarded)->port()) + "/0";
  auto wrong = RedisStore::Open("redis://:nope@" + at);
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied) << wrong.status();
  EXPECT_EQ(wrong.status().message().find("nope"), std::string::npos);
  EXPECT_EQ(RedisStore::Open("redis://" + at).status().code(), StatusCode::kPermissionDenied);
  auto right = RedisStore::Open("redis://:s3cret@" + at);
  ASSERT_TRUE(right.ok()) << right.status();
  EXPECT_TRUE((*right)->Ping().ok());
}

TEST_F(RedisStoreTest, RedissVerifiesTheServersCertificate) {
  std::string dir = std::filesystem::temp_directory_path() / "sluice-redis-tls-XXXXXX";
  dir = mkdtemp(dir.data());
  auto cert = test_support::WriteSelfSignedCertificate(dir);
  ASSERT_TRUE(cert.ok()) << cert.status();
  test_support::RedisServerOptions options;
  options.tls_cert_file = *cert;
  options.tls_key_file = dir + "/key.pem";
  auto tls = test_support::RedisServer::Start(options);
  ASSERT_TRUE(tls.ok()) << tls.status();
  ASSERT_TRUE((*tls)->url().starts_with("rediss://"));

  ::unsetenv("SSL_CERT_FILE");  // the system's trust store does not know our certificate
  auto untrusted = RedisStore::Open((*tls)->url());
  EXPECT_EQ(untrusted.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(untrusted.status().message().find("certificate verify failed"), std::string::npos)
      << untrusted.status();

  ::setenv("SSL_CERT_FILE", cert->c_str(), 1);  // OpenSSL's default trust store, for this test
  auto trusted = RedisStore::Open((*tls)->url());
  ::unsetenv("SSL_CERT_FILE");
  ASSERT_TRUE(trusted.ok()) << trusted.status();
  ASSERT_TRUE((*trusted)->CreateBatch({"b", "f", "in_progress", now_, "{}", "t"}).ok());
  EXPECT_EQ((*trusted)->GetBatch("b")->tenant, "t");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::store::redis
