#include "store/store_errors.h"

namespace sluice::store {

bool IsTransient(const Status& status) {
  return status.code() == StatusCode::kUnavailable ||
         status.code() == StatusCode::kResourceExhausted;
}

Status BusyError(std::string what) {
  return UnavailableError(std::move(what) + ": database is locked");
}

Status DiskFullError(std::string what) {
  return ResourceExhaustedError(std::move(what) + ": database or disk is full (disk full)");
}

Status IoError(std::string what) { return InternalError(std::move(what) + ": disk I/O error"); }

Status CorruptError(std::string what) {
  return DataLossError(std::move(what) + ": database disk image is malformed");
}

}  // namespace sluice::store
