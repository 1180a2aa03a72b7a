#include "store/file_bodies.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store/add_file.h"
#include "store/memory/memory_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_errors.h"

namespace sluice::store {
namespace {

namespace fs = std::filesystem;

std::string TempDir() {
  std::string dir = fs::temp_directory_path() / "sluice-bodies-XXXXXX";
  return mkdtemp(dir.data());
}

std::vector<std::string> Entries(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadAll(FileBodies::Reader& reader) {
  std::string out;
  for (;;) {
    Result<std::string> piece = reader.Read(7);
    EXPECT_TRUE(piece.ok()) << piece.status();
    if (!piece.ok() || piece->empty()) return out;
    out += *piece;
  }
}

class FileBodiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = TempDir();
    auto bodies = FileBodies::Open(data_dir_);
    ASSERT_TRUE(bodies.ok()) << bodies.status();
    bodies_ = std::move(bodies).value();
  }
  std::string files_dir() const { return data_dir_ + "/files"; }

  std::string data_dir_;
  std::unique_ptr<FileBodies> bodies_;
};

TEST_F(FileBodiesTest, CommittedFileAppearsWholeUnderItsId) {
  Result<FileBodies::Writer> writer = bodies_->Begin("file-abc");
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE(writer->Append("hello ").ok());
  EXPECT_FALSE(fs::exists(bodies_->PathOf("file-abc"))) << "visible before Commit";
  ASSERT_TRUE(writer->Append(std::string("wor\0ld", 6)).ok());
  Result<std::int64_t> size = writer->Commit();
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, 12);
  EXPECT_EQ(Entries(files_dir()), std::vector<std::string>{"file-abc"});
  Result<FileBodies::Reader> reader = bodies_->Read("file-abc");
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(ReadAll(*reader), std::string("hello wor\0ld", 12));
}

TEST_F(FileBodiesTest, AbortedOrDroppedWritersLeaveNothing) {
  {
    Result<FileBodies::Writer> writer = bodies_->Begin("file-a");
    ASSERT_TRUE(writer->Append("x").ok());
    writer->Abort();
    EXPECT_EQ(writer->Commit().status().code(), StatusCode::kFailedPrecondition);
    Result<FileBodies::Writer> dropped = bodies_->Begin("file-b");
    ASSERT_TRUE(dropped->Append("y").ok());
  }
  EXPECT_TRUE(Entries(files_dir()).empty());
}

TEST_F(FileBodiesTest, FullDiskIsResourceExhaustedAndLeavesNothing) {
  auto bodies = std::move(FileBodies::Open(data_dir_, {.fail_writes_after_bytes = 10})).value();
  Result<FileBodies::Writer> writer = bodies->Begin("file-full");
  ASSERT_TRUE(writer->Append("0123456789").ok());
  Status full = writer->Append("a");
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(full.message().find("disk full"), std::string::npos) << full;
  EXPECT_TRUE(Entries(files_dir()).empty()) << "the partial file must be gone at once";
  EXPECT_FALSE(writer->Append("b").ok());
  EXPECT_FALSE(writer->Commit().ok());
}

TEST_F(FileBodiesTest, UnsafeIdsAreRefused) {
  for (std::string id :
       std::vector<std::string>{"", "../x", "a/b", "file-.", std::string(200, 'a')}) {
    EXPECT_EQ(bodies_->Begin(id).status().code(), StatusCode::kInvalidArgument) << id;
    EXPECT_EQ(bodies_->Remove(id).code(), StatusCode::kInvalidArgument) << id;
  }
}

TEST_F(FileBodiesTest, ReadOfAMissingFileIsNotFoundAndRemoveIsIdempotent) {
  EXPECT_EQ(bodies_->Read("file-none").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(bodies_->Remove("file-none").ok());
  Result<FileBodies::Writer> writer = bodies_->Begin("file-x");
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(bodies_->Remove("file-x").ok());
  EXPECT_EQ(bodies_->Read("file-x").status().code(), StatusCode::kNotFound);
}

TEST_F(FileBodiesTest, OpenRemovesPartialFilesACrashLeftBehind) {
  Result<FileBodies::Writer> writer = bodies_->Begin("file-crash");
  ASSERT_TRUE(writer->Append("half").ok());
  Result<FileBodies::Writer> done = bodies_->Begin("file-done");
  ASSERT_TRUE(done->Commit().ok());
  // A second process start while the first writer is still "running" stands in for a crash.
  auto reopened = FileBodies::Open(data_dir_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Entries(files_dir()), std::vector<std::string>{"file-done"});
}

TEST_F(FileBodiesTest, AddFileMovesAFinishedFileInAndRecordsIt) {
  auto store = std::move(sqlite::SqliteStore::Open(data_dir_ + "/store.db")).value();
  std::string source = data_dir_ + "/output.jsonl.tmp";
  std::ofstream(source) << "{\"a\":1}\n";
  WallTime now(std::chrono::seconds(1767225600));
  NewFile file{
      .tenant = "t", .purpose = "batch_output", .filename = "out.jsonl", .created_at = now};
  Result<FileRecord> record = AddFile(*store, *bodies_, file, source);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_TRUE(record->id.starts_with("file-"));
  EXPECT_EQ(record->bytes, 8);
  EXPECT_FALSE(fs::exists(source));
  EXPECT_EQ(store->GetFile(record->id)->purpose, "batch_output");
  Result<FileBodies::Reader> reader = bodies_->Read(record->id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(ReadAll(*reader), "{\"a\":1}\n");
  EXPECT_EQ(AddFile(*store, *bodies_, file, source).status().code(), StatusCode::kNotFound);
}

TEST_F(FileBodiesTest, AddingAFileUnderAGivenIdTwiceLeavesOneFile) {
  MemoryStore store;
  WallTime now(std::chrono::seconds(1767225600));
  NewFile file{.tenant = "t",
               .purpose = "batch_output",
               .filename = "out.jsonl",
               .created_at = now,
               .id = "file-b1-output"};
  std::string source = data_dir_ + "/output.jsonl.tmp";
  std::ofstream(source) << "{\"a\":1}\n";
  ASSERT_TRUE(AddFile(store, *bodies_, file, source).ok());
  // The same finalize after a crash before its batch was saved: written again, added again.
  std::ofstream(source) << "{\"a\":1}\n";
  Result<FileRecord> again = AddFile(store, *bodies_, file, source);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, "file-b1-output");
  EXPECT_FALSE(fs::exists(source));
  EXPECT_EQ(store
                .ListFiles({.tenant = "t",
                            .purpose = std::nullopt,
                            .after = std::nullopt,
                            .limit = 10,
                            .order = SortOrder::kAscending})
                ->files.size(),
            1u);
  EXPECT_EQ(Entries(files_dir()), std::vector<std::string>{"file-b1-output"});
}

TEST_F(FileBodiesTest, AFileTheStoreCannotRecordLeavesNoBody) {
  MemoryStore store;
  store.Inject(
      {.error = DiskFullError("insert"), .calls = {StoreCall::kCreateFile}, .times = std::nullopt});
  std::string source = data_dir_ + "/output.jsonl.tmp";
  std::ofstream(source) << "{\"a\":1}\n";
  NewFile file{.tenant = "t",
               .purpose = "batch_output",
               .filename = "out.jsonl",
               .created_at = WallTime{},
               .id = "file-b2-output"};
  EXPECT_EQ(AddFile(store, *bodies_, file, source).status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Entries(files_dir()).empty());
}

}  // namespace
}  // namespace sluice::store
