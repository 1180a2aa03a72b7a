// Faults: the failures a test asks a fake store to produce — the next N calls, or every call of
// some kinds, fail with a given error (transient: busy, disk full; permanent: I/O error,
// corrupt) until the fault has been used up or healed. A pure decision object: "does this call
// fail, and how?". Thread-compatible: its store serialises access.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::store {

// Every method of the Store seam, to aim a fault at some of them.
enum class StoreCall {
  kCreateBatch,
  kUpdateBatch,
  kGetBatch,
  kFindBatchByFingerprint,
  kListBatches,
  kListBatchesWithStatus,
  kAddItems,
  kLeaseItems,
  kReleaseItem,
  kExpireLeases,
  kAddResults,
  kReadResults,
  kCountItems,
  kCreateFile,
  kGetFile,
  kListFiles,
  kDeleteFile,
  kDropItems,
  kListExpiredFiles,
};

std::string_view StoreCallName(StoreCall call);

// The calls that change the store (a full disk fails only these).
std::set<StoreCall> WriteCalls();

struct Fault {
  Status error;               // what a failing call returns (not OK)
  std::set<StoreCall> calls;  // the calls that fail; empty: every call
  std::optional<int> times;   // this many calls fail, then the fault is gone; unset: until Heal
  int after = 0;              // this many matching calls succeed before the first fails
};

class Faults {
 public:
  // Adds a fault; when several match a call, the oldest one decides.
  void Add(Fault fault) { faults_.push_back(std::move(fault)); }
  // Removes every fault: the space is freed, the disk replaced.
  void Heal() { faults_.clear(); }

  // The error `call` fails with, if a fault matches it (using one of its `times`); OK otherwise.
  Status Check(StoreCall call);

  // Calls failed so far.
  std::int64_t failed() const { return failed_; }

 private:
  std::vector<Fault> faults_;
  std::int64_t failed_ = 0;
};

}  // namespace sluice::store
