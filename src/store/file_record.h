// FileRecord: the metadata of one file — an upload, or a batch's output or error file — whose
// bytes FileBodies keeps under the same id, and when it expires; and the query and page of a
// file listing.
// Plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace sluice::store {

struct FileRecord {
  std::string id;        // "file-…"
  std::string tenant;    // the owner; every other tenant is told the file does not exist
  std::string filename;  // as uploaded
  std::string purpose;   // batch, batch_output, fine-tune, ...
  std::int64_t bytes = 0;
  WallTime created_at;
  // When the file stops existing for clients and the sweeper may remove it; unset: never.
  std::optional<WallTime> expires_at = std::nullopt;
  std::string status = "processed";  // OpenAI's (deprecated) uploaded | processed | error
};

// True when `file` has an expiry and it has come by `now`.
inline bool IsExpired(const FileRecord& file, WallTime now) {
  return file.expires_at && *file.expires_at <= now;
}

enum class SortOrder { kAscending, kDescending };

// One page of a tenant's files, ordered by created_at and then id.
struct FileQuery {
  std::string tenant;
  std::optional<std::string> purpose;  // set: only files with this purpose
  std::optional<std::string> after;    // set: the page starts after this file (a cursor)
  std::size_t limit = 10000;           // at most this many files (>= 1)
  SortOrder order = SortOrder::kDescending;
  // Set: files expired by then (expires_at <= unexpired_at) are left out, as if already swept.
  std::optional<WallTime> unexpired_at = std::nullopt;
};

struct FilePage {
  std::vector<FileRecord> files;
  bool has_more = false;  // more files follow the last one of this page
};

}  // namespace sluice::store
