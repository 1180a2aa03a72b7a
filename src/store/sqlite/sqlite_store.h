// SqliteStore: the embedded default Store, one SQLite database (WAL) in data_dir. One connection
// behind a mutex handed out in the order callers ask (FifoMutex): SQLite serialises writers
// anyway, callers group their writes (AddItems and AddResults take many records per transaction),
// and a long job (DropItems) takes it a step at a time, so no call waits for more than a step.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/database.h"
#include "store/sqlite/fifo_mutex.h"
#include "store/store.h"

namespace sluice::store::sqlite {

struct SqliteOptions {
  // Caps the database's size in pages (SQLite's max_page_count); set only to make a test's disk
  // "full". Unset: no cap beyond the disk's.
  std::optional<std::int64_t> max_page_count;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` and its schema.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   SqliteOptions options = {});

  Status CreateBatch(const BatchRecord& batch) override;
  Status UpdateBatch(const BatchRecord& batch) override;
  Result<BatchRecord> GetBatch(const std::string& id) override;
  Result<std::optional<BatchRecord>> FindBatchByFingerprint(
      const std::string& fingerprint) override;
  Result<std::vector<BatchRecord>> ListBatches(const std::optional<std::string>& tenant,
                                               const std::optional<std::string>& after,
                                               std::size_t limit) override;
  Result<std::vector<BatchRecord>> ListBatchesWithStatus(
      const std::vector<std::string>& statuses) override;
  Status AddItems(const std::string& batch_id, const std::vector<NewItem>& items) override;
  Result<std::vector<LeasedItem>> LeaseItems(const std::string& batch_id, std::size_t max,
                                             WallTime now, Duration lease) override;
  Status ReleaseItem(const std::string& batch_id, std::int64_t index, WallTime not_before) override;
  Status ExpireLeases(const std::string& batch_id) override;
  Status DropItems(const std::string& batch_id) override;
  Status AddResults(const std::string& batch_id, const std::vector<ResultRecord>& results) override;
  Result<std::vector<ResultRecord>> ReadResults(const std::string& batch_id,
                                                std::int64_t after_index,
                                                std::size_t limit) override;
  Result<ItemCounts> CountItems(const std::string& batch_id) override;
  // Files: sqlite_files.cc.
  Status CreateFile(const FileRecord& file) override;
  Result<FileRecord> GetFile(const std::string& id) override;
  Result<FilePage> ListFiles(const FileQuery& query) override;
  Status DeleteFile(const std::string& id) override;
  Result<std::vector<FileRecord>> ListExpiredFiles(WallTime now, std::size_t limit) override;

 private:
  explicit SqliteStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
  template <typename Body>
  Status InTransaction(Body&& body);
  // One step of DropItems: the next kDropStepItems indexes of the batch, out of every table, in
  // one transaction, and their pages back to the file system. False when nothing was left.
  Result<bool> DropStep(const std::string& batch_id);
  // Gives up to kVacuumStepPages free pages back to the file system; returns how many are left.
  Result<std::int64_t> VacuumStep();

  FifoMutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace sluice::store::sqlite
