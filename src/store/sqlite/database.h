// Thin RAII over the SQLite C API: a Database connection and prepared Statements, with every
// failure turned into a Status (SQLITE_FULL → kResourceExhausted "disk full", busy → kUnavailable).
// Thread-compatible: the owner serialises access.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace sluice::store::sqlite {

// The Status for SQLite result code `rc` on `db` while doing `what`.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// Times are stored as milliseconds since the Unix epoch.
std::int64_t ToMillis(WallTime t);
WallTime FromMillis(std::int64_t ms);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  // Bind by 1-based position. The text is copied by SQLite.
  Statement& Bind(int position, std::int64_t value);
  Statement& Bind(int position, std::string_view text);
  // Binds NULL when `value` is unset.
  Statement& Bind(int position, std::optional<std::int64_t> value);

  // Steps once: true when a row is ready, false when done.
  Result<bool> Step();
  // Steps until done (for statements without rows).
  Status Run();
  // Resets for reuse and clears bindings.
  void Reset();

  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  // Unset when the column is NULL.
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating) `path` in WAL mode with a busy timeout.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  sqlite3* handle() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace sluice::store::sqlite
