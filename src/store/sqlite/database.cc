#include "store/sqlite/database.h"

#include <string>

namespace sluice::store::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_errmsg(db) != nullptr && rc != SQLITE_FULL) {
    message += " (" + std::string(sqlite3_errmsg(db)) + ")";
  }
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return ResourceExhaustedError(message + " (disk full)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError(message);
    case SQLITE_CONSTRAINT:
      return AlreadyExistsError(message);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return PermissionDeniedError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(message);
    default:
      return InternalError(message);
  }
}

std::int64_t ToMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

WallTime FromMillis(std::int64_t ms) { return WallTime(std::chrono::milliseconds(ms)); }

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::Bind(int position, std::int64_t value) {
  sqlite3_bind_int64(stmt_, position, value);
  return *this;
}

Statement& Statement::Bind(int position, std::string_view text) {
  sqlite3_bind_text(stmt_, position, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int position, std::optional<std::int64_t> value) {
  if (value) return Bind(position, *value);
  sqlite3_bind_null(stmt_, position);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "sqlite step");
}

Status Statement::Run() {
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return OkStatus();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return Int(column);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(db, rc, "cannot open database " + path);
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<Database> database(new Database(db));
  sqlite3_busy_timeout(db, 5000);
  // WAL: readers never block the writer. FULL: a committed transaction survives power loss, not
  // only a crash; callers group writes so the fsync is paid once per group.
  // Pages freed by deletes can be given back (PRAGMA incremental_vacuum); this takes effect only
  // on a new database, before its first table.
  SLUICE_RETURN_IF_ERROR(database->Exec("PRAGMA auto_vacuum=INCREMENTAL"));
  SLUICE_RETURN_IF_ERROR(database->Exec("PRAGMA journal_mode=WAL"));
  SLUICE_RETURN_IF_ERROR(database->Exec("PRAGMA synchronous=FULL"));
  SLUICE_RETURN_IF_ERROR(database->Exec("PRAGMA foreign_keys=ON"));
  return database;
}

Database::~Database() { sqlite3_close(db_); }

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "sqlite exec");
  return OkStatus();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "sqlite prepare");
  return Statement(db_, stmt);
}

}  // namespace sluice::store::sqlite
