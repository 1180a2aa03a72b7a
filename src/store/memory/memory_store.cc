#include "store/memory/memory_store.h"

#include <algorithm>

namespace sluice::store {

// Every call takes the lock, then asks the faults whether it fails, before it reads or changes
// anything: a failed call changes nothing, as a rolled-back transaction would.

void MemoryStore::Inject(Fault fault) {
  std::lock_guard lock(mu_);
  faults_.Add(std::move(fault));
}

void MemoryStore::Heal() {
  std::lock_guard lock(mu_);
  faults_.Heal();
}

std::int64_t MemoryStore::failed_calls() const {
  std::lock_guard lock(mu_);
  return faults_.failed();
}

Status MemoryStore::CreateBatch(const BatchRecord& batch) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kCreateBatch));
  if (batches_.contains(batch.id)) return AlreadyExistsError("batch " + batch.id + " exists");
  batches_[batch.id] = {batch, next_sequence_++};
  return OkStatus();
}

Status MemoryStore::UpdateBatch(const BatchRecord& batch) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kUpdateBatch));
  auto it = batches_.find(batch.id);
  if (it == batches_.end()) return NotFoundError("no batch " + batch.id);
  it->second.record.status = batch.status;
  it->second.record.data = batch.data;
  return OkStatus();
}

Result<BatchRecord> MemoryStore::GetBatch(const std::string& id) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kGetBatch));
  auto it = batches_.find(id);
  if (it == batches_.end()) return NotFoundError("no batch " + id);
  return it->second.record;
}

Result<std::optional<BatchRecord>> MemoryStore::FindBatchByFingerprint(
    const std::string& fingerprint) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kFindBatchByFingerprint));
  const StoredBatch* newest = nullptr;
  for (const auto& [id, stored] : batches_) {
    if (stored.record.fingerprint != fingerprint) continue;
    BatchKey key{stored.record.created_at, stored.sequence};
    if (newest == nullptr || key > BatchKey{newest->record.created_at, newest->sequence}) {
      newest = &stored;
    }
  }
  if (newest == nullptr) return std::optional<BatchRecord>();
  return std::optional<BatchRecord>(newest->record);
}

Result<std::vector<BatchRecord>> MemoryStore::ListBatches(const std::optional<std::string>& tenant,
                                                          const std::optional<std::string>& after,
                                                          std::size_t limit) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kListBatches));
  // Newest first by (created_at, id), as SqliteStore orders them.
  using Position = std::tuple<WallTime, std::string>;
  std::optional<Position> cursor;
  if (after) {
    auto it = batches_.find(*after);
    if (it == batches_.end()) return std::vector<BatchRecord>();
    cursor = Position{it->second.record.created_at, it->first};
  }
  std::vector<const BatchRecord*> found;
  for (const auto& [id, stored] : batches_) {
    if (tenant && stored.record.tenant != *tenant) continue;
    if (cursor && !(Position{stored.record.created_at, id} < *cursor)) continue;
    found.push_back(&stored.record);
  }
  std::sort(found.begin(), found.end(), [](const BatchRecord* a, const BatchRecord* b) {
    return Position{a->created_at, a->id} > Position{b->created_at, b->id};
  });
  std::vector<BatchRecord> page;
  for (std::size_t i = 0; i < found.size() && i < limit; ++i) page.push_back(*found[i]);
  return page;
}

Result<std::vector<BatchRecord>> MemoryStore::ListBatchesWithStatus(
    const std::vector<std::string>& statuses) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kListBatchesWithStatus));
  std::vector<BatchRecord> listed;
  for (const std::string& status : statuses) {
    std::vector<const StoredBatch*> found;
    for (const auto& [id, stored] : batches_) {
      if (stored.record.status == status) found.push_back(&stored);
    }
    std::sort(found.begin(), found.end(), [](const StoredBatch* a, const StoredBatch* b) {
      return BatchKey{a->record.created_at, a->sequence} <
             BatchKey{b->record.created_at, b->sequence};
    });
    for (const StoredBatch* stored : found) listed.push_back(stored->record);
  }
  return listed;
}

Status MemoryStore::AddItems(const std::string& batch_id, const std::vector<NewItem>& items) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kAddItems));
  BatchItems& batch = items_[batch_id];
  for (const NewItem& item : items) {
    QueuedItem queued{item};
    if (item.duplicate_of) {
      // As SqliteStore: it waits only for an original still to be answered, itself not a copy.
      auto original = batch.queue.find(*item.duplicate_of);
      bool waiting = original != batch.queue.end() && !original->second.item.duplicate_of &&
                     original->second.state != ItemState::kDone;
      if (waiting) {
        queued.state = ItemState::kDuplicate;
      } else {
        queued.item.duplicate_of.reset();
      }
    }
    batch.queue.try_emplace(item.index, std::move(queued));
  }
  return OkStatus();
}

Result<std::vector<LeasedItem>> MemoryStore::LeaseItems(const std::string& batch_id,
                                                        std::size_t max, WallTime now,
                                                        Duration lease) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kLeaseItems));
  std::vector<LeasedItem> leased;
  auto it = items_.find(batch_id);
  if (it == items_.end()) return leased;
  auto until = now + std::chrono::duration_cast<WallTime::duration>(lease);
  for (auto& [index, queued] : it->second.queue) {
    if (leased.size() >= max) break;
    if (queued.state == ItemState::kDone || queued.state == ItemState::kDuplicate ||
        queued.ready_at > now) {
      continue;
    }
    queued.state = ItemState::kLeased;
    queued.ready_at = until;
    leased.push_back({queued.item, ++queued.attempts, {}});
  }
  for (LeasedItem& l : leased) {
    for (const auto& [index, queued] : it->second.queue) {
      if (queued.state == ItemState::kDuplicate && queued.item.duplicate_of == l.item.index) {
        l.duplicates.push_back({index, queued.item.custom_id});
      }
    }
  }
  return leased;
}

Status MemoryStore::ReleaseItem(const std::string& batch_id, std::int64_t index,
                                WallTime not_before) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kReleaseItem));
  auto batch = items_.find(batch_id);
  if (batch == items_.end()) return OkStatus();
  auto it = batch->second.queue.find(index);
  if (it == batch->second.queue.end() || it->second.state != ItemState::kLeased) return OkStatus();
  it->second.state = ItemState::kPending;
  it->second.ready_at = not_before;
  return OkStatus();
}

Status MemoryStore::ExpireLeases(const std::string& batch_id) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kExpireLeases));
  auto batch = items_.find(batch_id);
  if (batch == items_.end()) return OkStatus();
  for (auto& [index, queued] : batch->second.queue) {
    if (queued.state != ItemState::kLeased) continue;
    queued.state = ItemState::kPending;
    queued.ready_at = WallTime{};
  }
  return OkStatus();
}

Status MemoryStore::AddResults(const std::string& batch_id,
                               const std::vector<ResultRecord>& results) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kAddResults));
  BatchItems& batch = items_[batch_id];
  for (const ResultRecord& result : results) {
    batch.results.try_emplace(result.index, result);
    if (auto it = batch.queue.find(result.index); it != batch.queue.end()) {
      it->second.state = ItemState::kDone;
    }
  }
  return OkStatus();
}

Result<std::vector<ResultRecord>> MemoryStore::ReadResults(const std::string& batch_id,
                                                           std::int64_t after_index,
                                                           std::size_t limit) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kReadResults));
  std::vector<ResultRecord> page;
  auto batch = items_.find(batch_id);
  if (batch == items_.end()) return page;
  const auto& results = batch->second.results;
  for (auto it = results.upper_bound(after_index); it != results.end() && page.size() < limit;
       ++it) {
    page.push_back(it->second);
  }
  return page;
}

Status MemoryStore::DropItems(const std::string& batch_id) {
  // In steps of kDropStepItems indexes, as SqliteStore drops them, each one call for the faults:
  // a fault can fail a drop midway, leaving the steps done.
  while (true) {
    std::lock_guard lock(mu_);
    SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kDropItems));
    auto batch = items_.find(batch_id);
    if (batch == items_.end()) return OkStatus();
    auto& [queue, results] = batch->second;
    if (queue.empty() && results.empty()) {
      items_.erase(batch);
      return OkStatus();
    }
    std::int64_t first = std::min(queue.empty() ? results.begin()->first : queue.begin()->first,
                                  results.empty() ? queue.begin()->first : results.begin()->first);
    queue.erase(queue.begin(), queue.lower_bound(first + kDropStepItems));
    results.erase(results.begin(), results.lower_bound(first + kDropStepItems));
  }
}

Result<ItemCounts> MemoryStore::CountItems(const std::string& batch_id) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kCountItems));
  ItemCounts counts;
  auto batch = items_.find(batch_id);
  if (batch == items_.end()) return counts;
  for (const auto& [index, queued] : batch->second.queue) {
    ++counts.total;
    if (queued.state == ItemState::kPending) ++counts.pending;
    if (queued.state == ItemState::kLeased) ++counts.leased;
  }
  for (const auto& [index, result] : batch->second.results) counts.Add(result);
  return counts;
}

}  // namespace sluice::store
