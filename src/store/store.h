// Store: the narrow seam between sluice and its durable state — batches, the item queue (pending
// -> leased -> done), results (one per item, first write wins) and the metadata of files (their
// bytes are in FileBodies). Implementations: sqlite/ (the
// embedded default) and memory/ (for tests, with faults on demand); errors: store_errors.h. Every
// method is synchronous and may block on disk: call it from the blocking pool, never from an event
// loop. Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "batch/records.h"
#include "common/result.h"
#include "store/file_record.h"

namespace sluice::store {

using batch::BatchRecord;
using batch::ItemCounts;
using batch::ItemState;
using batch::LeasedItem;
using batch::NewItem;
using batch::ResultRecord;
using batch::Usage;

// The most items DropItems deletes in one step (see docs/benchmarks.md, scenario 9).
inline constexpr std::int64_t kDropStepItems = 2000;

class Store {
 public:
  virtual ~Store() = default;

  // Creates a batch; kAlreadyExists when the id is taken.
  virtual Status CreateBatch(const BatchRecord& batch) = 0;
  // Replaces status and data of an existing batch; kNotFound otherwise.
  virtual Status UpdateBatch(const BatchRecord& batch) = 0;
  virtual Result<BatchRecord> GetBatch(const std::string& id) = 0;
  // The newest batch made from `fingerprint`, if any.
  virtual Result<std::optional<BatchRecord>> FindBatchByFingerprint(
      const std::string& fingerprint) = 0;

  // Up to `limit` of the tenant's batches (every tenant's when unset: an admin's view), newest
  // first, after the batch `after` (a cursor from the previous page; an unknown cursor gives an
  // empty page).
  virtual Result<std::vector<BatchRecord>> ListBatches(const std::optional<std::string>& tenant,
                                                       const std::optional<std::string>& after,
                                                       std::size_t limit) = 0;
  // Every batch whose status is one of `statuses`, oldest first (to resume after a restart).
  virtual Result<std::vector<BatchRecord>> ListBatchesWithStatus(
      const std::vector<std::string>& statuses) = 0;

  // Adds items in one transaction. Items whose index already exists are left as they are, so an
  // interrupted ingest can be repeated. An item with duplicate_of (dedup) is kept out of the queue
  // (ItemState::kDuplicate) to be answered with that item, if that item exists, is itself no
  // duplicate and has no result yet; otherwise it is stored as an ordinary pending item (its
  // duplicate_of dropped), so that no line ever waits for an answer that cannot come.
  virtual Status AddItems(const std::string& batch_id, const std::vector<NewItem>& items) = 0;

  // Leases up to `max` items, lowest index first: pending items whose retry time has come, and
  // leased items whose lease has expired (their holder died). Each gets attempt + 1 and a lease
  // until now + lease, and lists in `duplicates` the items still waiting for its answer, by index.
  // Duplicates are never leased: their results come with their original's, in one AddResults.
  virtual Result<std::vector<LeasedItem>> LeaseItems(const std::string& batch_id, std::size_t max,
                                                     WallTime now, Duration lease) = 0;

  // Returns a leased item to pending, to be leased again at `not_before` (a retry).
  virtual Status ReleaseItem(const std::string& batch_id, std::int64_t index,
                             WallTime not_before) = 0;

  // Ends every lease of the batch now (after a restart, when no holder is alive).
  virtual Status ExpireLeases(const std::string& batch_id) = 0;

  // Records results and marks their items done, in one transaction. A result for an item that
  // already has one is ignored: the first write wins.
  virtual Status AddResults(const std::string& batch_id,
                            const std::vector<ResultRecord>& results) = 0;

  // Up to `limit` results with index > after_index, in index order.
  virtual Result<std::vector<ResultRecord>> ReadResults(const std::string& batch_id,
                                                        std::int64_t after_index,
                                                        std::size_t limit) = 0;

  virtual Result<ItemCounts> CountItems(const std::string& batch_id) = 0;

  // Forgets a finished batch's items and results (its output and error files hold them now) and
  // gives the space back to the file system where the store can. Works in steps of at most
  // kDropStepItems items, each its own transaction, and leaves the store to other calls between
  // the steps (so it takes a while: run it off the threads that serve other callers); a failure
  // keeps the steps done, and a repeated call finishes the rest. No-op for an unknown batch.
  virtual Status DropItems(const std::string& batch_id) = 0;

  // Records a file; kAlreadyExists when the id is taken.
  virtual Status CreateFile(const FileRecord& file) = 0;
  // The file `id` of any tenant; kNotFound when there is none.
  virtual Result<FileRecord> GetFile(const std::string& id) = 0;
  // A page of query.tenant's files. kNotFound when query.after names no file of that tenant.
  virtual Result<FilePage> ListFiles(const FileQuery& query) = 0;
  // Forgets the file `id`; kNotFound when there is none.
  virtual Status DeleteFile(const std::string& id) = 0;
  // Up to `limit` files of any tenant whose expires_at is at or before `now`, the longest expired
  // first (then by id): what the retention sweeper removes, a page at a time.
  virtual Result<std::vector<FileRecord>> ListExpiredFiles(WallTime now, std::size_t limit) = 0;
};

}  // namespace sluice::store
