// The store's failures, as every Store implementation reports them, and the one decision made on
// them: is it worth trying again? Plain functions; thread-safe.
#pragma once

#include "common/status.h"

namespace sluice::store {

// Busy past the busy timeout (kUnavailable) or a full disk (kResourceExhausted, "disk full"):
// the same write can succeed later, once the other writer is done or space is freed. Every other
// error (an I/O error, a corrupt database, a missing row) is permanent for the call that got it.
bool IsTransient(const Status& status);

// The errors of each kind, worded as SqliteStore words them (for fakes and tests).
Status BusyError(std::string what);
Status DiskFullError(std::string what);
Status IoError(std::string what);
Status CorruptError(std::string what);

}  // namespace sluice::store
