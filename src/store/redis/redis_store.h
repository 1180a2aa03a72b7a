// RedisStore: the whole Store seam on Redis, so that any number of sluice processes share one
// store — the same contract as SqliteStore and MemoryStore (the conformance suite in
// store_test.cc runs against all three). Batch and file records live in hashes with sorted-set
// listings; each batch's items in a Redis Stream with a consumer group (a lease is a pending
// entry); results, once per item, with exact counters beside them. The key layout is in
// docs/redis.md. Every method blocks on the network (at most ConnectionOptions' timeouts): call it
// from the blocking pool. A Redis that cannot be reached is kUnavailable (IsTransient), so callers
// retry as they retry a busy SQLite. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/redis/redis_client.h"
#include "store/redis/redis_keys.h"
#include "store/store.h"

namespace sluice::store::redis {

struct RedisStoreOptions {
  // Every key starts with "{<key_prefix>" (so several stores can share one Redis database).
  std::string key_prefix = "sluice";
  // This process's name in the batches' consumer groups; empty: "<hostname>-<pid>".
  std::string consumer;
  ConnectionOptions connection;
};

class RedisStore final : public Store {
 public:
  // Connects to `url` ("redis://…" or "rediss://…") and checks the layout version (writing it
  // into an empty Redis). kInvalidArgument for a bad URL, kUnavailable naming the Redis when it
  // cannot be reached, kFailedPrecondition for a Redis that holds another layout version.
  static Result<std::unique_ptr<RedisStore>> Open(const std::string& url,
                                                  RedisStoreOptions options = {});

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
  // Items and results: redis_items.cc.
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
  // Files: redis_files.cc.
  Status CreateFile(const FileRecord& file) override;
  Result<FileRecord> GetFile(const std::string& id) override;
  Result<FilePage> ListFiles(const FileQuery& query) override;
  Status DeleteFile(const std::string& id) override;
  Result<std::vector<FileRecord>> ListExpiredFiles(WallTime now, std::size_t limit) override;

  // Round trip to Redis (for /readyz): kUnavailable while it cannot be reached.
  Status Ping();

 private:
  RedisStore(std::unique_ptr<RedisClient> client, RedisStoreOptions options);
  Status CheckLayout();
  // The batches named by sorted-set `members` ("<...> <id>", the id after `id_at` bytes).
  Result<std::vector<BatchRecord>> BatchesOf(const std::vector<Reply>& members, std::size_t id_at);
  Result<std::vector<FileRecord>> FilesOf(const std::vector<Reply>& members);

  std::unique_ptr<RedisClient> client_;
  const RedisStoreOptions options_;
  const Keys keys_;
};

}  // namespace sluice::store::redis
