// MemoryStore: the whole Store seam in memory, for tests — the same contract as SqliteStore (the
// conformance suite in store_test.cc runs against both), nothing durable, and faults on demand:
// a test makes the next N calls, or calls of some kinds, fail as a busy or full disk or a broken
// one would (see Faults). Thread-safe: one mutex around everything.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "store/memory/faults.h"
#include "store/store.h"

namespace sluice::store {

class MemoryStore final : public Store {
 public:
  // Makes calls fail as `fault` says, from the next call on.
  void Inject(Fault fault);
  // Every call succeeds again (and keeps what the store held before the faults).
  void Heal();
  // Calls failed by faults so far.
  std::int64_t failed_calls() const;

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
  // Files: memory_files.cc.
  Status CreateFile(const FileRecord& file) override;
  Result<FileRecord> GetFile(const std::string& id) override;
  Result<FilePage> ListFiles(const FileQuery& query) override;
  Status DeleteFile(const std::string& id) override;
  Result<std::vector<FileRecord>> ListExpiredFiles(WallTime now, std::size_t limit) override;

 private:
  struct StoredBatch {
    BatchRecord record;
    std::int64_t sequence = 0;  // creation order, to break ties of created_at
  };
  struct QueuedItem {
    NewItem item;
    ItemState state = ItemState::kPending;
    int attempts = 0;
    WallTime ready_at{};
  };
  struct BatchItems {
    std::map<std::int64_t, QueuedItem> queue;      // by index
    std::map<std::int64_t, ResultRecord> results;  // by index
  };
  // Where a batch stands in listings: (created_at, sequence).
  using BatchKey = std::tuple<WallTime, std::int64_t>;

  mutable std::mutex mu_;
  Faults faults_;
  std::map<std::string, StoredBatch> batches_;  // by id
  std::map<std::string, BatchItems> items_;     // by batch id
  std::map<std::string, FileRecord> files_;     // by id
  std::int64_t next_sequence_ = 0;
};

}  // namespace sluice::store
