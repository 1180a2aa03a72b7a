// MemoryStore's faults (its contract is the conformance suite in store_test.cc).
#include "store/memory/memory_store.h"

#include <gtest/gtest.h>

#include "store/store_errors.h"

namespace sluice::store {
namespace {

using namespace std::chrono_literals;

const WallTime kNow(std::chrono::seconds(1767225600));

ResultRecord Success(std::int64_t index) {
  ResultRecord result;
  result.index = index;
  result.custom_id = "a";
  result.success = true;
  return result;
}

FileRecord File(std::string id) {
  FileRecord file;
  file.id = std::move(id);
  return file;
}

class MemoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateBatch({"b", "f", "in_progress", kNow, "{}", ""}).ok());
    ASSERT_TRUE(store_.AddItems("b", {{0, "a", "m", "/v1/embeddings", "{}", 1}}).ok());
  }
  MemoryStore store_;
};

TEST_F(MemoryStoreTest, TheNextCallsFailThenTheStoreWorksAgain) {
  store_.Inject({.error = DiskFullError("write"), .calls = {}, .times = 2});
  Status first = store_.AddResults("b", {Success(0)});
  EXPECT_EQ(first.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(first.message().find("disk full"), std::string::npos);
  EXPECT_TRUE(IsTransient(first));
  EXPECT_EQ(store_.CountItems("b").status().code(), StatusCode::kResourceExhausted);
  ASSERT_TRUE(store_.CountItems("b").ok());
  EXPECT_EQ(store_.CountItems("b")->succeeded, 0);  // the failed call changed nothing
  EXPECT_EQ(store_.failed_calls(), 2);
}

TEST_F(MemoryStoreTest, AFaultAimedAtSomeCallsLeavesTheOthersAlone) {
  store_.Inject({.error = IoError("commit"), .calls = {StoreCall::kAddResults}, .times = {}});
  EXPECT_TRUE(store_.LeaseItems("b", 1, kNow, 1h).ok());
  Status failed = store_.AddResults("b", {Success(0)});
  EXPECT_EQ(failed.code(), StatusCode::kInternal);
  EXPECT_FALSE(IsTransient(failed));
  EXPECT_NE(failed.message().find("AddResults"), std::string::npos);
  EXPECT_FALSE(store_.AddResults("b", {}).ok());  // until healed
  store_.Heal();
  EXPECT_TRUE(store_.AddResults("b", {Success(0)}).ok());
  EXPECT_EQ(store_.CountItems("b")->succeeded, 1);
}

TEST_F(MemoryStoreTest, AFullDiskFailsWritesAndLetsReadsThrough) {
  store_.Inject({.error = DiskFullError("write"), .calls = WriteCalls(), .times = {}});
  EXPECT_EQ(store_.UpdateBatch({"b", "f", "completed", kNow, "{}", ""}).code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(store_.GetBatch("b")->status, "in_progress");
  EXPECT_EQ(store_.CreateFile(File("file-a")).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(store_.GetFile("file-a").status().code(), StatusCode::kNotFound);
}

TEST_F(MemoryStoreTest, AFaultCanLetTheFirstCallsThrough) {
  store_.Inject({.error = IoError("update"),
                 .calls = {StoreCall::kUpdateBatch},
                 .times = std::nullopt,
                 .after = 2});
  BatchRecord batch = *store_.GetBatch("b");
  EXPECT_TRUE(store_.UpdateBatch(batch).ok());
  EXPECT_TRUE(store_.UpdateBatch(batch).ok());
  EXPECT_EQ(store_.UpdateBatch(batch).code(), StatusCode::kInternal);
  EXPECT_EQ(store_.UpdateBatch(batch).code(), StatusCode::kInternal);
}

TEST_F(MemoryStoreTest, TheExpiredFilesListingFailsOnDemandAndIsNotAWrite) {
  FileRecord file = File("file-a");
  file.expires_at = kNow;
  ASSERT_TRUE(store_.CreateFile(file).ok());
  EXPECT_FALSE(WriteCalls().contains(StoreCall::kListExpiredFiles));
  store_.Inject({.error = BusyError("list"), .calls = {StoreCall::kListExpiredFiles}, .times = 1});
  Result<std::vector<FileRecord>> failed = store_.ListExpiredFiles(kNow, 10);
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(failed.status().message().find("ListExpiredFiles"), std::string::npos);
  ASSERT_TRUE(store_.ListExpiredFiles(kNow, 10).ok());
  EXPECT_EQ(store_.ListExpiredFiles(kNow, 10)->size(), 1u);
}

TEST(MemoryStoreDropTest, ADropFailedMidwayKeepsItsStepsAndARepeatFinishesIt) {
  MemoryStore store;
  ASSERT_TRUE(store.CreateBatch({"b", "f", "completed", kNow, "{}", ""}).ok());
  std::vector<NewItem> items;
  for (int i = 0; i < 3 * kDropStepItems; ++i) items.push_back({i, "a", "m", "/v1/x", "{}", 1});
  ASSERT_TRUE(store.AddItems("b", items).ok());
  store.Inject({.error = IoError("delete"),
                .calls = {StoreCall::kDropItems},
                .times = 1,
                .after = 1});  // the first step is done, the second fails
  EXPECT_EQ(store.DropItems("b").code(), StatusCode::kInternal);
  EXPECT_EQ(store.CountItems("b")->total, 2 * kDropStepItems);
  ASSERT_TRUE(store.DropItems("b").ok());
  EXPECT_EQ(store.CountItems("b")->total, 0);
}

TEST(StoreErrorsTest, OnlyBusyAndFullAreTransient) {
  EXPECT_TRUE(IsTransient(BusyError("x")));
  EXPECT_TRUE(IsTransient(DiskFullError("x")));
  EXPECT_FALSE(IsTransient(IoError("x")));
  EXPECT_FALSE(IsTransient(CorruptError("x")));
  EXPECT_FALSE(IsTransient(NotFoundError("x")));
}

}  // namespace
}  // namespace sluice::store
