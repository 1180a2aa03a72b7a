// SweepExpiredFiles: one page of the retention sweep — the files whose expiry has come lose their
// bytes (FileBodies) and then their record (Store). Blocking: run it on the store's blocking
// executor. Thread-safe as its Store is.
#pragma once

#include <cstddef>

#include "common/clock.h"
#include "common/result.h"
#include "store/file_bodies.h"
#include "store/store.h"

namespace sluice::store {

struct SweptPage {
  std::size_t removed = 0;  // files whose bytes and record are gone
  bool full = false;        // the page was full: more expired files may follow
};

// Removes up to `limit` files expired by `now` (Store::ListExpiredFiles), the longest expired
// first. The bytes go first: a file whose record cannot be deleted is listed again next time
// (clients see it gone from its expiry on either way). On the first error it stops and returns
// it; what was removed before stays removed. A record deleted meanwhile (DELETE /v1/files) is not
// an error.
Result<SweptPage> SweepExpiredFiles(Store& store, const FileBodies& bodies, WallTime now,
                                    std::size_t limit);

}  // namespace sluice::store
