#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

namespace sluice::store::sqlite {
namespace {

// Items are split in two: the request (written once, at ingest) and its place in the queue (a
// small row rewritten at every lease and at completion), so moving an item through the queue never
// rewrites its body. user_version numbers the layout; a layout from kOldestUpgradable on is
// upgraded in place: 3 added the `files` table (kSchema creates it), 4 the batches' tenant, 5
// the files' expiry, 6 the model a fallback answered with, 7 each result's cost and failure code,
// 8 dedup (an item that shares an earlier one's answer, and a result that is such a copy).
constexpr int kSchemaVersion = 8;
constexpr int kOldestUpgradable = 2;
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS batches(
  id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL, data TEXT NOT NULL, tenant TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS batches_by_fingerprint ON batches(fingerprint, created_at_ms);
CREATE INDEX IF NOT EXISTS batches_by_tenant ON batches(tenant, created_at_ms, id);
CREATE INDEX IF NOT EXISTS batches_by_status ON batches(status);
CREATE TABLE IF NOT EXISTS items(
  batch_id TEXT NOT NULL, idx INTEGER NOT NULL, custom_id TEXT NOT NULL, model TEXT NOT NULL,
  endpoint TEXT NOT NULL, body TEXT NOT NULL, estimated_tokens INTEGER NOT NULL,
  duplicate_of INTEGER,
  PRIMARY KEY(batch_id, idx)) WITHOUT ROWID;
-- The lines that share an item's answer, found when the item is leased.
CREATE INDEX IF NOT EXISTS items_duplicates ON items(batch_id, duplicate_of, idx)
  WHERE duplicate_of IS NOT NULL;
CREATE TABLE IF NOT EXISTS queue(
  batch_id TEXT NOT NULL, idx INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0, ready_at_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(batch_id, idx)) WITHOUT ROWID;
-- state: 0 pending, 1 leased, 2 done, 3 a duplicate waiting for its original's answer.
-- Only the items still to send, in input order: leasing walks this instead of every finished
-- item before the first open one (which made a whole run quadratic in the file's length).
CREATE INDEX IF NOT EXISTS queue_open ON queue(batch_id, idx, ready_at_ms) WHERE state IN (0, 1);
CREATE TABLE IF NOT EXISTS results(
  batch_id TEXT NOT NULL, idx INTEGER NOT NULL, custom_id TEXT NOT NULL,
  success INTEGER NOT NULL, status_code INTEGER NOT NULL, request_id TEXT NOT NULL,
  body TEXT NOT NULL, error_code TEXT NOT NULL, error_message TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, model TEXT NOT NULL DEFAULT '',
  cost_nanousd INTEGER, failure_code TEXT NOT NULL DEFAULT '',
  duplicate_of INTEGER, saved_nanousd INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(batch_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, filename TEXT NOT NULL, purpose TEXT NOT NULL,
  bytes INTEGER NOT NULL, created_at_ms INTEGER NOT NULL, status TEXT NOT NULL,
  expires_at_ms INTEGER) WITHOUT ROWID;
-- A tenant's listing walks this in created_at (then id) order.
CREATE INDEX IF NOT EXISTS files_by_tenant ON files(tenant, created_at_ms, id);
-- The sweeper's walk over expired files; files kept forever (NULL) are not in it.
CREATE INDEX IF NOT EXISTS files_by_expiry ON files(expires_at_ms, id)
  WHERE expires_at_ms IS NOT NULL;
)sql";

// Free pages given back per vacuum step: more than a drop step frees (2,000 items and results of
// ~1 KB in 4 KB pages), so that the free list does not grow from step to step.
constexpr int kVacuumStepPages = 2000;

constexpr std::string_view kBatchColumns = "id, fingerprint, status, created_at_ms, data, tenant";

BatchRecord ReadBatch(const Statement& row) {
  return BatchRecord{row.Text(0), row.Text(1), row.Text(2), FromMillis(row.Int(3)),
                     row.Text(4), row.Text(5)};
}

ResultRecord ReadResult(const Statement& row) {
  ResultRecord r;
  r.index = row.Int(0);
  r.custom_id = row.Text(1);
  r.success = row.Int(2) != 0;
  r.status_code = static_cast<int>(row.Int(3));
  r.request_id = row.Text(4);
  r.body = row.Text(5);
  r.error_code = row.Text(6);
  r.error_message = row.Text(7);
  r.usage = {row.Int(8), row.Int(9), row.Int(10), row.Int(11), row.Int(12)};
  r.model = row.Text(13);
  r.cost_nanousd = row.OptionalInt(14);
  r.failure_code = row.Text(15);
  r.duplicate_of = row.OptionalInt(16);
  r.saved_nanousd = row.Int(17);
  return r;
}

// A database that has tables but another layout was made by another version of sluice. Returns
// the layout found (0 for a new database).
Result<std::int64_t> CheckSchemaVersion(Database& db, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(auto version, db.Prepare("PRAGMA user_version"));
  SLUICE_ASSIGN_OR_RETURN(bool row, version.Step());
  std::int64_t found = row ? version.Int(0) : 0;
  SLUICE_ASSIGN_OR_RETURN(auto tables, db.Prepare("SELECT COUNT(*) FROM sqlite_master"));
  SLUICE_ASSIGN_OR_RETURN(bool counted, tables.Step());
  bool empty = counted && tables.Int(0) == 0;
  if (empty) return 0;
  if (found >= kOldestUpgradable && found <= kSchemaVersion) return found;
  return FailedPreconditionError(path + " was written by another version of sluice (layout " +
                                 std::to_string(found) + ", expected " +
                                 std::to_string(kSchemaVersion) +
                                 "); move it away or point data_dir elsewhere");
}

// True when `table` exists and has no column `column` (names are ours, never input).
Result<bool> LacksColumn(Database& db, std::string_view table, std::string_view column) {
  SLUICE_ASSIGN_OR_RETURN(auto columns, db.Prepare("SELECT name FROM pragma_table_info('" +
                                                   std::string(table) + "')"));
  bool exists = false;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, columns.Step());
    if (!row) break;
    exists = true;
    if (columns.Text(0) == column) return false;
  }
  return exists;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       SqliteOptions options) {
  SLUICE_ASSIGN_OR_RETURN(auto db, Database::Open(path));
  SLUICE_ASSIGN_OR_RETURN(std::int64_t layout, CheckSchemaVersion(*db, path));
  if (layout > 0 && layout < 4) {
    SLUICE_RETURN_IF_ERROR(
        db->Exec("ALTER TABLE batches ADD COLUMN tenant TEXT NOT NULL DEFAULT ''"));
  }
  // Layout 2 has no `files` yet (kSchema makes it whole); files recorded before 5 never expire.
  if (layout >= 3 && layout < 5) {
    SLUICE_RETURN_IF_ERROR(db->Exec("ALTER TABLE files ADD COLUMN expires_at_ms INTEGER"));
  }
  // Results written before 6 were all answered by their item's own model.
  SLUICE_ASSIGN_OR_RETURN(bool results_without_model, LacksColumn(*db, "results", "model"));
  if (layout > 0 && layout < 6 && results_without_model) {
    SLUICE_RETURN_IF_ERROR(
        db->Exec("ALTER TABLE results ADD COLUMN model TEXT NOT NULL DEFAULT ''"));
  }
  // Results written before 7 have no known cost (counted as unpriced) and no failure code.
  SLUICE_ASSIGN_OR_RETURN(bool results_without_cost, LacksColumn(*db, "results", "cost_nanousd"));
  if (layout > 0 && layout < 7 && results_without_cost) {
    SLUICE_RETURN_IF_ERROR(db->Exec(
        "ALTER TABLE results ADD COLUMN cost_nanousd INTEGER; "
        "ALTER TABLE results ADD COLUMN failure_code TEXT NOT NULL DEFAULT ''"));
  }
  // Items and results written before 8 were each sent for themselves.
  SLUICE_ASSIGN_OR_RETURN(bool items_without_dedup, LacksColumn(*db, "items", "duplicate_of"));
  if (layout > 0 && layout < 8 && items_without_dedup) {
    SLUICE_RETURN_IF_ERROR(db->Exec("ALTER TABLE items ADD COLUMN duplicate_of INTEGER"));
  }
  SLUICE_ASSIGN_OR_RETURN(bool results_without_dedup, LacksColumn(*db, "results", "duplicate_of"));
  if (layout > 0 && layout < 8 && results_without_dedup) {
    SLUICE_RETURN_IF_ERROR(
        db->Exec("ALTER TABLE results ADD COLUMN duplicate_of INTEGER; "
                 "ALTER TABLE results ADD COLUMN saved_nanousd INTEGER NOT NULL DEFAULT 0"));
  }
  SLUICE_RETURN_IF_ERROR(db->Exec(kSchema));
  SLUICE_RETURN_IF_ERROR(db->Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)));
  if (options.max_page_count) {
    SLUICE_RETURN_IF_ERROR(
        db->Exec("PRAGMA max_page_count=" + std::to_string(*options.max_page_count)));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
}

template <typename Body>
Status SqliteStore::InTransaction(Body&& body) {
  SLUICE_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status status = body();
  if (status.ok()) status = db_->Exec("COMMIT");
  if (!status.ok()) (void)db_->Exec("ROLLBACK");
  return status;
}

Status SqliteStore::CreateBatch(const BatchRecord& batch) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto insert,
      db_->Prepare("INSERT INTO batches(id, fingerprint, status, created_at_ms, data, tenant) "
                   "VALUES(?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, batch.id).Bind(2, batch.fingerprint).Bind(3, batch.status);
  insert.Bind(4, ToMillis(batch.created_at)).Bind(5, batch.data).Bind(6, batch.tenant);
  return insert.Run().WithContext("create batch " + batch.id);
}

Status SqliteStore::UpdateBatch(const BatchRecord& batch) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto update,
                          db_->Prepare("UPDATE batches SET status = ?, data = ? WHERE id = ?"));
  update.Bind(1, batch.status).Bind(2, batch.data).Bind(3, batch.id);
  SLUICE_RETURN_IF_ERROR(update.Run());
  if (sqlite3_changes(db_->handle()) == 0) return NotFoundError("no batch " + batch.id);
  return OkStatus();
}

Result<BatchRecord> SqliteStore::GetBatch(const std::string& id) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto select, db_->Prepare("SELECT " + std::string(kBatchColumns) +
                                                    " FROM batches WHERE id = ?"));
  select.Bind(1, id);
  SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return NotFoundError("no batch " + id);
  return ReadBatch(select);
}

Result<std::optional<BatchRecord>> SqliteStore::FindBatchByFingerprint(
    const std::string& fingerprint) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto select,
                          db_->Prepare("SELECT " + std::string(kBatchColumns) +
                                       " FROM batches WHERE fingerprint = ? "
                                       "ORDER BY created_at_ms DESC, rowid DESC LIMIT 1"));
  select.Bind(1, fingerprint);
  SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<BatchRecord>();
  return std::optional<BatchRecord>(ReadBatch(select));
}

Status SqliteStore::AddItems(const std::string& batch_id, const std::vector<NewItem>& items) {
  std::lock_guard lock(mu_);
  return InTransaction([&]() -> Status {
    SLUICE_ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT OR IGNORE INTO items(batch_id, idx, custom_id, model, endpoint, "
                     "body, estimated_tokens, duplicate_of) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    SLUICE_ASSIGN_OR_RETURN(
        auto enqueue,
        db_->Prepare("INSERT OR IGNORE INTO queue(batch_id, idx, state) VALUES(?, ?, ?)"));
    // A duplicate waits for its original only if that one is an item still to be answered and
    // not itself a duplicate; otherwise (an ingest repeated under other rules) it is sent.
    SLUICE_ASSIGN_OR_RETURN(
        auto original,
        db_->Prepare("SELECT 1 FROM items AS i JOIN queue AS q ON q.batch_id = i.batch_id AND "
                     "q.idx = i.idx WHERE i.batch_id = ? AND i.idx = ? AND "
                     "i.duplicate_of IS NULL AND q.state IN (0, 1)"));
    for (const NewItem& item : items) {
      std::optional<std::int64_t> duplicate_of;
      if (item.duplicate_of) {
        original.Bind(1, batch_id).Bind(2, *item.duplicate_of);
        SLUICE_ASSIGN_OR_RETURN(bool waiting, original.Step());
        original.Reset();
        if (waiting) duplicate_of = item.duplicate_of;
      }
      insert.Bind(1, batch_id).Bind(2, item.index).Bind(3, item.custom_id).Bind(4, item.model);
      insert.Bind(5, item.endpoint).Bind(6, item.body).Bind(7, item.estimated_tokens);
      insert.Bind(8, duplicate_of);
      SLUICE_RETURN_IF_ERROR(insert.Run());
      insert.Reset();
      enqueue.Bind(1, batch_id).Bind(2, item.index).Bind(3, duplicate_of ? 3 : 0);
      SLUICE_RETURN_IF_ERROR(enqueue.Run());
      enqueue.Reset();
    }
    return OkStatus();
  });
}

Result<std::vector<LeasedItem>> SqliteStore::LeaseItems(const std::string& batch_id,
                                                        std::size_t max, WallTime now,
                                                        Duration lease) {
  std::lock_guard lock(mu_);
  std::vector<LeasedItem> leased;
  Status status = InTransaction([&]() -> Status {
    SLUICE_ASSIGN_OR_RETURN(
        auto select,
        db_->Prepare("SELECT q.idx, i.custom_id, i.model, i.endpoint, i.body, "
                     "i.estimated_tokens, q.attempts FROM queue AS q INDEXED BY queue_open "
                     "JOIN items AS i ON i.batch_id = q.batch_id AND i.idx = q.idx "
                     "WHERE q.batch_id = ? AND q.state IN (0, 1) AND q.ready_at_ms <= ? "
                     "ORDER BY q.idx LIMIT ?"));
    select.Bind(1, batch_id).Bind(2, ToMillis(now)).Bind(3, static_cast<std::int64_t>(max));
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      NewItem item{select.Int(0),  select.Text(1), select.Text(2),
                   select.Text(3), select.Text(4), select.Int(5)};
      leased.push_back({std::move(item), static_cast<int>(select.Int(6)) + 1});
    }
    SLUICE_ASSIGN_OR_RETURN(
        auto duplicates,
        db_->Prepare("SELECT i.idx, i.custom_id FROM items AS i INDEXED BY items_duplicates "
                     "JOIN queue AS q ON q.batch_id = i.batch_id AND q.idx = i.idx "
                     "WHERE i.batch_id = ? AND i.duplicate_of = ? AND q.state = 3 ORDER BY i.idx"));
    for (LeasedItem& l : leased) {
      duplicates.Bind(1, batch_id).Bind(2, l.item.index);
      while (true) {
        SLUICE_ASSIGN_OR_RETURN(bool row, duplicates.Step());
        if (!row) break;
        l.duplicates.push_back({duplicates.Int(0), duplicates.Text(1)});
      }
      duplicates.Reset();
    }
    SLUICE_ASSIGN_OR_RETURN(auto update,
                            db_->Prepare("UPDATE queue SET state = 1, attempts = attempts + 1, "
                                         "ready_at_ms = ? WHERE batch_id = ? AND idx = ?"));
    auto expiry = std::chrono::duration_cast<WallTime::duration>(lease);
    for (const LeasedItem& l : leased) {
      update.Bind(1, ToMillis(now + expiry)).Bind(2, batch_id).Bind(3, l.item.index);
      SLUICE_RETURN_IF_ERROR(update.Run());
      update.Reset();
    }
    return OkStatus();
  });
  if (!status.ok()) return status.WithContext("lease items of " + batch_id);
  return leased;
}

Status SqliteStore::ReleaseItem(const std::string& batch_id, std::int64_t index,
                                WallTime not_before) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto update,
                          db_->Prepare("UPDATE queue SET state = 0, ready_at_ms = ? "
                                       "WHERE batch_id = ? AND idx = ? AND state = 1"));
  update.Bind(1, ToMillis(not_before)).Bind(2, batch_id).Bind(3, index);
  return update.Run();
}

Status SqliteStore::ExpireLeases(const std::string& batch_id) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto update, db_->Prepare("UPDATE queue SET state = 0, ready_at_ms = 0 "
                                                    "WHERE batch_id = ? AND state = 1"));
  update.Bind(1, batch_id);
  return update.Run();
}

Status SqliteStore::DropItems(const std::string& batch_id) {
  // Each step takes the lock for itself: a million items in one transaction, then one vacuum of
  // all their pages, held every other call for minutes (docs/benchmarks.md, scenario 9). After a
  // step the store is left to the others for as long again: with only the FIFO turn, each other
  // caller got one call per step, fewer than it asked for, and its queue grew for the whole drop.
  while (true) {
    auto start = std::chrono::steady_clock::now();
    SLUICE_ASSIGN_OR_RETURN(bool dropped, DropStep(batch_id));
    if (!dropped) break;
    std::this_thread::sleep_for(std::chrono::steady_clock::now() - start);
  }
  // Free pages a step left (or an earlier drop that failed midway), a step's worth at a time.
  SLUICE_ASSIGN_OR_RETURN(std::int64_t free_pages, VacuumStep());
  while (free_pages > 0) {
    SLUICE_ASSIGN_OR_RETURN(std::int64_t left, VacuumStep());
    if (left >= free_pages) break;  // a database made before auto_vacuum: nothing shrinks
    free_pages = left;
  }
  // The checkpoint moves the shrink from the WAL into the database file. SQLite checkpoints
  // every 1,000 pages of WAL on its own, so only the last steps' pages are left to copy here.
  std::lock_guard lock(mu_);
  return db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Result<bool> SqliteStore::DropStep(const std::string& batch_id) {
  constexpr std::array<std::string_view, 3> kTables = {"results", "queue", "items"};
  std::lock_guard lock(mu_);
  bool dropped = false;
  Status status = InTransaction([&]() -> Status {
    std::optional<std::int64_t> first;
    for (std::string_view table : kTables) {
      SLUICE_ASSIGN_OR_RETURN(auto lowest,
                              db_->Prepare("SELECT idx FROM " + std::string(table) +
                                           " WHERE batch_id = ? ORDER BY idx LIMIT 1"));
      lowest.Bind(1, batch_id);
      SLUICE_ASSIGN_OR_RETURN(bool row, lowest.Step());
      if (row) first = std::min(first.value_or(lowest.Int(0)), lowest.Int(0));
    }
    if (!first) return OkStatus();
    for (std::string_view table : kTables) {
      SLUICE_ASSIGN_OR_RETURN(auto remove,
                              db_->Prepare("DELETE FROM " + std::string(table) +
                                           " WHERE batch_id = ? AND idx >= ? AND idx < ?"));
      remove.Bind(1, batch_id).Bind(2, *first).Bind(3, *first + kDropStepItems);
      SLUICE_RETURN_IF_ERROR(remove.Run());
    }
    dropped = true;
    return OkStatus();
  });
  if (!status.ok()) return status.WithContext("drop items of " + batch_id);
  // The pages this step freed go back to the file system now (auto_vacuum=INCREMENTAL, set when
  // the database was made), while the free list is short: SQLite's incremental vacuum appears to
  // slow down with its length (one vacuum of a million items' pages took minutes).
  if (dropped) {
    SLUICE_RETURN_IF_ERROR(
        db_->Exec("PRAGMA incremental_vacuum(" + std::to_string(kVacuumStepPages) + ")"));
  }
  return dropped;
}

Result<std::int64_t> SqliteStore::VacuumStep() {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(
      db_->Exec("PRAGMA incremental_vacuum(" + std::to_string(kVacuumStepPages) + ")"));
  SLUICE_ASSIGN_OR_RETURN(auto count, db_->Prepare("PRAGMA freelist_count"));
  SLUICE_ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.Int(0) : 0;
}

Status SqliteStore::AddResults(const std::string& batch_id,
                               const std::vector<ResultRecord>& results) {
  std::lock_guard lock(mu_);
  return InTransaction([&]() -> Status {
    SLUICE_ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT OR IGNORE INTO results(batch_id, idx, custom_id, success, "
                     "status_code, request_id, body, error_code, error_message, prompt_tokens, "
                     "completion_tokens, total_tokens, cached_tokens, reasoning_tokens, model, "
                     "cost_nanousd, failure_code, duplicate_of, saved_nanousd) "
                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    SLUICE_ASSIGN_OR_RETURN(
        auto done, db_->Prepare("UPDATE queue SET state = 2 WHERE batch_id = ? AND idx = ?"));
    for (const ResultRecord& r : results) {
      insert.Bind(1, batch_id).Bind(2, r.index).Bind(3, r.custom_id).Bind(4, r.success ? 1 : 0);
      insert.Bind(5, r.status_code).Bind(6, r.request_id).Bind(7, r.body).Bind(8, r.error_code);
      insert.Bind(9, r.error_message).Bind(10, r.usage.prompt_tokens);
      insert.Bind(11, r.usage.completion_tokens).Bind(12, r.usage.total_tokens);
      insert.Bind(13, r.usage.cached_tokens).Bind(14, r.usage.reasoning_tokens).Bind(15, r.model);
      insert.Bind(16, r.cost_nanousd).Bind(17, r.failure_code).Bind(18, r.duplicate_of);
      insert.Bind(19, r.saved_nanousd);
      SLUICE_RETURN_IF_ERROR(insert.Run());
      insert.Reset();
      done.Bind(1, batch_id).Bind(2, r.index);
      SLUICE_RETURN_IF_ERROR(done.Run());
      done.Reset();
    }
    return OkStatus();
  });
}

Result<std::vector<ResultRecord>> SqliteStore::ReadResults(const std::string& batch_id,
                                                           std::int64_t after_index,
                                                           std::size_t limit) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto select,
      db_->Prepare("SELECT idx, custom_id, success, status_code, request_id, body, error_code, "
                   "error_message, prompt_tokens, completion_tokens, total_tokens, "
                   "cached_tokens, reasoning_tokens, model, cost_nanousd, failure_code, "
                   "duplicate_of, saved_nanousd FROM results "
                   "WHERE batch_id = ? AND idx > ? ORDER BY idx LIMIT ?"));
  select.Bind(1, batch_id).Bind(2, after_index).Bind(3, static_cast<std::int64_t>(limit));
  std::vector<ResultRecord> results;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    results.push_back(ReadResult(select));
  }
  return results;
}

Result<ItemCounts> SqliteStore::CountItems(const std::string& batch_id) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto by_state,
      db_->Prepare("SELECT state, COUNT(*) FROM queue WHERE batch_id = ? GROUP BY state"));
  by_state.Bind(1, batch_id);
  ItemCounts counts;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, by_state.Step());
    if (!row) break;
    std::int64_t n = by_state.Int(1);
    counts.total += n;
    if (by_state.Int(0) == 0) counts.pending = n;
    if (by_state.Int(0) == 1) counts.leased = n;
  }
  SLUICE_ASSIGN_OR_RETURN(
      auto outcomes,
      db_->Prepare("SELECT success, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), "
                   "SUM(total_tokens), SUM(cached_tokens), SUM(reasoning_tokens), "
                   "SUM(cost_nanousd), COUNT(*) - COUNT(cost_nanousd), "
                   "duplicate_of IS NOT NULL, SUM(saved_nanousd) "
                   "FROM results WHERE batch_id = ? GROUP BY success, duplicate_of IS NOT NULL"));
  outcomes.Bind(1, batch_id);
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, outcomes.Step());
    if (!row) break;
    (outcomes.Int(0) != 0 ? counts.succeeded : counts.failed) += outcomes.Int(1);
    if (outcomes.Int(9) != 0) {  // copies of another line's answer: not billed (ResultTally)
      counts.deduplicated += outcomes.Int(1);
      counts.saved_nanousd += outcomes.Int(10);
      continue;
    }
    counts.usage += {outcomes.Int(2), outcomes.Int(3), outcomes.Int(4), outcomes.Int(5),
                     outcomes.Int(6)};
    counts.cost_nanousd += outcomes.Int(7);
    counts.unpriced += outcomes.Int(8);
  }
  SLUICE_ASSIGN_OR_RETURN(auto failures,
                          db_->Prepare("SELECT failure_code, COUNT(*) FROM results "
                                       "WHERE batch_id = ? AND success = 0 GROUP BY failure_code"));
  failures.Bind(1, batch_id);
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, failures.Step());
    if (!row) break;
    counts.failures[failures.Text(0)] = failures.Int(1);
  }
  return counts;
}

Result<std::vector<BatchRecord>> SqliteStore::ListBatches(const std::optional<std::string>& tenant,
                                                          const std::optional<std::string>& after,
                                                          std::size_t limit) {
  std::lock_guard lock(mu_);
  // Newest first; the cursor is the last batch of the previous page.
  std::string sql = "SELECT " + std::string(kBatchColumns) + " FROM batches WHERE " +
                    (tenant ? "tenant = ?1 " : "1 ");
  if (after) {
    sql += "AND (created_at_ms, id) < (SELECT created_at_ms, id FROM batches WHERE id = ?2) ";
  }
  sql += "ORDER BY created_at_ms DESC, id DESC LIMIT ?3";
  SLUICE_ASSIGN_OR_RETURN(auto select, db_->Prepare(sql));
  select.Bind(3, static_cast<std::int64_t>(limit));
  if (tenant) select.Bind(1, *tenant);
  if (after) select.Bind(2, *after);
  std::vector<BatchRecord> batches;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    batches.push_back(ReadBatch(select));
  }
  return batches;
}

Result<std::vector<BatchRecord>> SqliteStore::ListBatchesWithStatus(
    const std::vector<std::string>& statuses) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto select,
                          db_->Prepare("SELECT " + std::string(kBatchColumns) +
                                       " FROM batches WHERE status = ? ORDER BY created_at_ms"));
  std::vector<BatchRecord> batches;
  for (const std::string& status : statuses) {
    select.Bind(1, status);
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      batches.push_back(ReadBatch(select));
    }
    select.Reset();
  }
  return batches;
}

}  // namespace sluice::store::sqlite
