// DataDirLock: one process owns a data directory at a time. An exclusive flock(2) on
// <data_dir>/LOCK, as leveldb does, with the owner's pid written into the file for the message a
// second process prints. The kernel drops the lock when its process dies, however it dies, so a
// LOCK file left by a killed process never blocks. Thread-compatible; hold it for the whole life of
// the process that uses the store.
#pragma once

#include <string>

#include "common/result.h"

namespace sluice::runtime {

class DataDirLock {
 public:
  // Creates `data_dir` if needed and locks its LOCK file. kFailedPrecondition if another process
  // (or another DataDirLock in this one) holds it: "data directory <dir> is in use by process
  // <pid> (LOCK)". kUnavailable if the directory or the file cannot be created or locked.
  static Result<DataDirLock> Acquire(const std::string& data_dir);

  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&& other) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  // Releases the lock; the LOCK file stays (removing it would race with a process taking it).
  ~DataDirLock();

  const std::string& path() const { return path_; }

 private:
  DataDirLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_ = -1;
};

}  // namespace sluice::runtime
