#include "runtime/data_dir_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::runtime {
namespace {

namespace fs = std::filesystem;

class DataDirLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-lock-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string ReadLockFile(const std::string& dir) const {
    std::ifstream in(fs::path(dir) / "LOCK");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string root_;
};

TEST_F(DataDirLockTest, CreatesTheDirectoryAndWritesItsPidIntoLock) {
  std::string dir = root_ + "/nested/data";
  Result<DataDirLock> lock = DataDirLock::Acquire(dir);
  ASSERT_TRUE(lock.ok()) << lock.status();
  EXPECT_EQ(lock->path(), dir + "/LOCK");
  EXPECT_EQ(ReadLockFile(dir), std::to_string(::getpid()) + "\n");
}

TEST_F(DataDirLockTest, SecondHolderIsRefusedWithTheDirectoryAndThePid) {
  Result<DataDirLock> first = DataDirLock::Acquire(root_);
  ASSERT_TRUE(first.ok()) << first.status();
  Result<DataDirLock> second = DataDirLock::Acquire(root_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status().message(), "data directory " + root_ + " is in use by process " +
                                           std::to_string(::getpid()) + " (LOCK)");
  EXPECT_EQ(ReadLockFile(root_), std::to_string(::getpid()) + "\n") << "the holder's pid stays";
}

TEST_F(DataDirLockTest, ReleasedWhenTheHolderIsDestroyed) {
  { ASSERT_TRUE(DataDirLock::Acquire(root_).ok()); }
  EXPECT_TRUE(DataDirLock::Acquire(root_).ok());
}

TEST_F(DataDirLockTest, MovedLockStaysHeldUntilItsLastOwnerGoes) {
  Result<DataDirLock> first = DataDirLock::Acquire(root_);
  ASSERT_TRUE(first.ok());
  DataDirLock moved = std::move(first).value();
  EXPECT_FALSE(DataDirLock::Acquire(root_).ok());
}

TEST_F(DataDirLockTest, LockFileLeftBehindWithAnotherPidDoesNotBlock) {
  std::ofstream(fs::path(root_) / "LOCK") << "999999999\n";
  Result<DataDirLock> lock = DataDirLock::Acquire(root_);
  ASSERT_TRUE(lock.ok()) << lock.status();
  EXPECT_EQ(ReadLockFile(root_), std::to_string(::getpid()) + "\n");
}

TEST_F(DataDirLockTest, UncreatableDirectoryIsUnavailable) {
  std::ofstream(fs::path(root_) / "file") << "x";
  Result<DataDirLock> lock = DataDirLock::Acquire(root_ + "/file/data");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(lock.status().message(), ::testing::StartsWith("cannot create data directory "));
}

}  // namespace
}  // namespace sluice::runtime
