#include "store/sweep_expired_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "store/memory/memory_store.h"
#include "store/store_errors.h"

namespace sluice::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const WallTime kNow(std::chrono::seconds(1767225600));

class SweepExpiredFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = fs::temp_directory_path() / "sluice-sweep-XXXXXX";
    data_dir_ = mkdtemp(dir.data());
    bodies_ = std::move(FileBodies::Open(data_dir_)).value();
  }

  // A file with bytes and a record; expiring `expires_in` from kNow, or never.
  void AddFile(const std::string& id, std::optional<Duration> expires_in) {
    Result<FileBodies::Writer> writer = bodies_->Begin(id);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE(writer->Append("bytes of " + id).ok());
    ASSERT_TRUE(writer->Commit().ok());
    FileRecord file;
    file.id = id;
    file.tenant = "t";
    file.created_at = kNow;
    if (expires_in) file.expires_at = kNow + *expires_in;
    ASSERT_TRUE(store_.CreateFile(file).ok());
  }

  bool HasBytes(const std::string& id) const { return fs::exists(bodies_->PathOf(id)); }

  std::string data_dir_;
  std::unique_ptr<FileBodies> bodies_;
  MemoryStore store_;
};

TEST_F(SweepExpiredFilesTest, RemovesTheBytesAndRecordsOfExpiredFilesOnly) {
  AddFile("file-old", 1h);
  AddFile("file-young", 3h);
  AddFile("file-forever", std::nullopt);
  Result<SweptPage> swept = SweepExpiredFiles(store_, *bodies_, kNow + 2h, 100);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->removed, 1u);
  EXPECT_FALSE(swept->full);
  EXPECT_EQ(store_.GetFile("file-old").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(HasBytes("file-old"));
  EXPECT_TRUE(store_.GetFile("file-young").ok());
  EXPECT_TRUE(HasBytes("file-young"));
  EXPECT_TRUE(HasBytes("file-forever"));
}

TEST_F(SweepExpiredFilesTest, AFullPageSaysMoreMayFollow) {
  for (int i = 0; i < 3; ++i) AddFile("file-" + std::to_string(i), 1h);
  SweptPage first = *SweepExpiredFiles(store_, *bodies_, kNow + 2h, 2);
  EXPECT_EQ(first.removed, 2u);
  EXPECT_TRUE(first.full);
  SweptPage second = *SweepExpiredFiles(store_, *bodies_, kNow + 2h, 2);
  EXPECT_EQ(second.removed, 1u);
  EXPECT_FALSE(second.full);
}

TEST_F(SweepExpiredFilesTest, AStoreFailureStopsTheSweepAndTheNextOneFinishesIt) {
  AddFile("file-a", 1h);
  AddFile("file-b", 2h);
  store_.Inject({.error = IoError("delete"), .calls = {StoreCall::kDeleteFile}, .times = 1});
  Result<SweptPage> failed = SweepExpiredFiles(store_, *bodies_, kNow + 3h, 100);
  EXPECT_EQ(failed.status().code(), StatusCode::kInternal);
  EXPECT_NE(failed.status().message().find("file-a"), std::string::npos) << failed.status();
  EXPECT_TRUE(store_.GetFile("file-a").ok());  // listed again next time
  EXPECT_TRUE(HasBytes("file-b"));             // not reached
  store_.Inject({.error = BusyError("list"), .calls = {StoreCall::kListExpiredFiles}, .times = 1});
  EXPECT_EQ(SweepExpiredFiles(store_, *bodies_, kNow + 3h, 100).status().code(),
            StatusCode::kUnavailable);
  Result<SweptPage> healed = SweepExpiredFiles(store_, *bodies_, kNow + 3h, 100);
  ASSERT_TRUE(healed.ok()) << healed.status();
  EXPECT_EQ(healed->removed, 2u);
  EXPECT_FALSE(HasBytes("file-a"));
  EXPECT_FALSE(HasBytes("file-b"));
  EXPECT_TRUE(store_.ListExpiredFiles(kNow + 3h, 100)->empty());
}

TEST_F(SweepExpiredFilesTest, AFileDeletedMeanwhileIsNotAnError) {
  AddFile("file-a", 1h);
  store_.Inject(
      {.error = NotFoundError("no file file-a"), .calls = {StoreCall::kDeleteFile}, .times = 1});
  Result<SweptPage> swept = SweepExpiredFiles(store_, *bodies_, kNow + 2h, 100);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_FALSE(HasBytes("file-a"));
}

}  // namespace
}  // namespace sluice::store
