#include "store/add_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/ids.h"

namespace sluice::store {

Result<FileRecord> AddFile(Store& store, const FileBodies& bodies, const NewFile& file,
                           const std::string& source_path) {
  struct stat info {};
  if (::stat(source_path.c_str(), &info) != 0) {
    return NotFoundError("cannot add " + source_path + ": " + std::strerror(errno));
  }
  if (!file.id.empty()) {
    Result<FileRecord> existing = store.GetFile(file.id);
    if (existing.ok()) {
      std::error_code ignored;
      std::filesystem::remove(source_path, ignored);
      return existing;
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  }
  FileRecord record{.id = file.id.empty() ? NewId("file-") : file.id,
                    .tenant = file.tenant,
                    .filename = file.filename,
                    .purpose = file.purpose,
                    .bytes = static_cast<std::int64_t>(info.st_size),
                    .created_at = file.created_at,
                    .expires_at = file.expires_at,
                    .status = "processed"};
  SLUICE_RETURN_IF_ERROR(bodies.Adopt(record.id, source_path));
  if (Status created = store.CreateFile(record); !created.ok()) {
    (void)bodies.Remove(record.id);
    return created;
  }
  return record;
}

}  // namespace sluice::store
