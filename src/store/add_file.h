// AddFile: registers a finished file (a batch's output or error file, for instance) in one call —
// its bytes moved into FileBodies under a new id, its record written to the Store. Blocking: run
// it on the store's blocking executor. Thread-safe as its Store is.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "store/file_bodies.h"
#include "store/store.h"

namespace sluice::store {

// What the new file's record says besides its id and size.
struct NewFile {
  std::string tenant;
  std::string purpose;   // batch_output, ...
  std::string filename;  // what clients see, e.g. "batch_abc_output.jsonl"
  WallTime created_at;
  // Empty: a new "file-…" id. Set: this id, and when a file of this id is recorded already (the
  // same finalize, repeated after a crash between recording the file and saving its batch), that
  // file is the result and the source is removed, so repeating leaves no second file.
  std::string id = {};
  // When the file expires (see FileRecord::expires_at); unset: never.
  std::optional<WallTime> expires_at = std::nullopt;
};

// Moves the complete file at `source_path` into `bodies` under file.id (or a new id) and records
// it. Returns the record. On failure neither a body nor a record is left (the source may be gone).
Result<FileRecord> AddFile(Store& store, const FileBodies& bodies, const NewFile& file,
                           const std::string& source_path);

}  // namespace sluice::store
