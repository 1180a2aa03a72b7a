// FileRecord: the metadata of one file — an upload, or a batch's output or error file — whose
// bytes FileBodies keeps under the same id; and the query and page of a file listing.
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
  std::string status = "processed";  // OpenAI's (deprecated) uploaded | processed | error
};

enum class SortOrder { kAscending, kDescending };

// One page of a tenant's files, ordered by created_at and then id.
struct FileQuery {
  std::string tenant;
  std::optional<std::string> purpose;  // set: only files with this purpose
  std::optional<std::string> after;    // set: the page starts after this file (a cursor)
  std::size_t limit = 10000;           // at most this many files (>= 1)
  SortOrder order = SortOrder::kDescending;
};

struct FilePage {
  std::vector<FileRecord> files;
  bool has_more = false;  // more files follow the last one of this page
};

}  // namespace sluice::store
