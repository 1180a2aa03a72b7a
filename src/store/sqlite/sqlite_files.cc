// SqliteStore's file records: one row per file in `files`, listed per tenant through the
// files_by_tenant index and, once expired, through files_by_expiry.
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace sluice::store::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, tenant, filename, purpose, bytes, created_at_ms, status, expires_at_ms";

std::optional<WallTime> ExpiresAt(std::optional<std::int64_t> ms) {
  if (!ms) return std::nullopt;
  return FromMillis(*ms);
}

std::optional<std::int64_t> ExpiresAtMillis(const std::optional<WallTime>& at) {
  if (!at) return std::nullopt;
  return ToMillis(*at);
}

FileRecord ReadFile(const Statement& row) {
  return FileRecord{.id = row.Text(0),
                    .tenant = row.Text(1),
                    .filename = row.Text(2),
                    .purpose = row.Text(3),
                    .bytes = row.Int(4),
                    .created_at = FromMillis(row.Int(5)),
                    .expires_at = ExpiresAt(row.OptionalInt(7)),
                    .status = row.Text(6)};
}

}  // namespace

Status SqliteStore::CreateFile(const FileRecord& file) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto insert, db_->Prepare("INSERT INTO files(" + std::string(kColumns) +
                                                    ") VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, file.id).Bind(2, file.tenant).Bind(3, file.filename).Bind(4, file.purpose);
  insert.Bind(5, file.bytes).Bind(6, ToMillis(file.created_at)).Bind(7, file.status);
  insert.Bind(8, ExpiresAtMillis(file.expires_at));
  return insert.Run().WithContext("create file " + file.id);
}

Result<FileRecord> SqliteStore::GetFile(const std::string& id) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto select, db_->Prepare("SELECT " + std::string(kColumns) + " FROM files WHERE id = ?"));
  select.Bind(1, id);
  SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return NotFoundError("no file " + id);
  return ReadFile(select);
}

Result<FilePage> SqliteStore::ListFiles(const FileQuery& query) {
  std::lock_guard lock(mu_);
  bool ascending = query.order == SortOrder::kAscending;
  std::string sql = "SELECT " + std::string(kColumns) + " FROM files WHERE tenant = ?1";
  if (query.purpose) sql += " AND purpose = ?2";
  if (query.unexpired_at) sql += " AND (expires_at_ms IS NULL OR expires_at_ms > ?5)";
  if (query.after) {
    // Row values order like the listing; a cursor of another tenant matches no row.
    sql += std::string(" AND (created_at_ms, id) ") + (ascending ? ">" : "<") +
           " (SELECT created_at_ms, id FROM files WHERE id = ?3 AND tenant = ?1)";
  }
  sql +=
      ascending ? " ORDER BY created_at_ms ASC, id ASC" : " ORDER BY created_at_ms DESC, id DESC";
  sql += " LIMIT ?4";
  if (query.after) {
    SLUICE_ASSIGN_OR_RETURN(auto cursor,
                            db_->Prepare("SELECT 1 FROM files WHERE id = ? AND tenant = ?"));
    cursor.Bind(1, *query.after).Bind(2, query.tenant);
    SLUICE_ASSIGN_OR_RETURN(bool found, cursor.Step());
    if (!found) return NotFoundError("no file " + *query.after);
  }
  SLUICE_ASSIGN_OR_RETURN(auto select, db_->Prepare(sql));
  select.Bind(1, query.tenant).Bind(4, static_cast<std::int64_t>(query.limit) + 1);
  if (query.purpose) select.Bind(2, *query.purpose);
  if (query.after) select.Bind(3, *query.after);
  if (query.unexpired_at) select.Bind(5, ToMillis(*query.unexpired_at));
  FilePage page;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    if (page.files.size() == query.limit) {
      page.has_more = true;
      break;
    }
    page.files.push_back(ReadFile(select));
  }
  return page;
}

Status SqliteStore::DeleteFile(const std::string& id) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto remove, db_->Prepare("DELETE FROM files WHERE id = ?"));
  remove.Bind(1, id);
  SLUICE_RETURN_IF_ERROR(remove.Run());
  if (sqlite3_changes(db_->handle()) == 0) return NotFoundError("no file " + id);
  return OkStatus();
}

Result<std::vector<FileRecord>> SqliteStore::ListExpiredFiles(WallTime now, std::size_t limit) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto select,
      db_->Prepare("SELECT " + std::string(kColumns) +
                   " FROM files WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= ? "
                   "ORDER BY expires_at_ms, id LIMIT ?"));
  select.Bind(1, ToMillis(now)).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<FileRecord> expired;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return expired;
    expired.push_back(ReadFile(select));
  }
}

}  // namespace sluice::store::sqlite
