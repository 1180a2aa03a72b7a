#include "store/sweep_expired_files.h"

namespace sluice::store {

Result<SweptPage> SweepExpiredFiles(Store& store, const FileBodies& bodies, WallTime now,
                                    std::size_t limit) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileRecord> expired, store.ListExpiredFiles(now, limit));
  SweptPage page{.removed = 0, .full = expired.size() == limit};
  for (const FileRecord& file : expired) {
    SLUICE_RETURN_IF_ERROR(bodies.Remove(file.id).WithContext("remove the bytes of " + file.id));
    Status deleted = store.DeleteFile(file.id);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) {
      return deleted.WithContext("forget expired file " + file.id);
    }
    ++page.removed;
  }
  return page;
}

}  // namespace sluice::store
