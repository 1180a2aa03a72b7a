// MemoryStore's file records, ordered for a listing as SqliteStore orders them: by created_at,
// then id; expired ones by expires_at, then id.
#include <algorithm>
#include <tuple>

#include "store/memory/memory_store.h"

namespace sluice::store {

Status MemoryStore::CreateFile(const FileRecord& file) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kCreateFile));
  if (files_.contains(file.id)) return AlreadyExistsError("file " + file.id + " exists");
  files_[file.id] = file;
  return OkStatus();
}

Result<FileRecord> MemoryStore::GetFile(const std::string& id) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kGetFile));
  auto it = files_.find(id);
  if (it == files_.end()) return NotFoundError("no file " + id);
  return it->second;
}

Result<FilePage> MemoryStore::ListFiles(const FileQuery& query) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kListFiles));
  using Position = std::tuple<WallTime, std::string>;
  bool ascending = query.order == SortOrder::kAscending;
  std::optional<Position> cursor;
  if (query.after) {
    auto it = files_.find(*query.after);
    if (it == files_.end() || it->second.tenant != query.tenant) {
      return NotFoundError("no file " + *query.after);
    }
    cursor = Position{it->second.created_at, it->first};
  }
  std::vector<const FileRecord*> found;
  for (const auto& [id, file] : files_) {
    if (file.tenant != query.tenant) continue;
    if (query.purpose && file.purpose != *query.purpose) continue;
    if (query.unexpired_at && IsExpired(file, *query.unexpired_at)) continue;
    Position at{file.created_at, id};
    if (cursor && (ascending ? !(at > *cursor) : !(at < *cursor))) continue;
    found.push_back(&file);
  }
  std::sort(found.begin(), found.end(), [ascending](const FileRecord* a, const FileRecord* b) {
    Position pa{a->created_at, a->id};
    Position pb{b->created_at, b->id};
    return ascending ? pa < pb : pa > pb;
  });
  FilePage page;
  for (const FileRecord* file : found) {
    if (page.files.size() == query.limit) {
      page.has_more = true;
      break;
    }
    page.files.push_back(*file);
  }
  return page;
}

Status MemoryStore::DeleteFile(const std::string& id) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kDeleteFile));
  if (files_.erase(id) == 0) return NotFoundError("no file " + id);
  return OkStatus();
}

Result<std::vector<FileRecord>> MemoryStore::ListExpiredFiles(WallTime now, std::size_t limit) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(faults_.Check(StoreCall::kListExpiredFiles));
  std::vector<FileRecord> expired;
  for (const auto& [id, file] : files_) {
    if (IsExpired(file, now)) expired.push_back(file);
  }
  auto sooner = [](const FileRecord& a, const FileRecord& b) {
    return std::tie(*a.expires_at, a.id) < std::tie(*b.expires_at, b.id);
  };
  std::sort(expired.begin(), expired.end(), sooner);
  if (expired.size() > limit) expired.resize(limit);
  return expired;
}

}  // namespace sluice::store
