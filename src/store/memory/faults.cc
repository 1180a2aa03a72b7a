#include "store/memory/faults.h"

#include <array>
#include <string>

namespace sluice::store {

std::string_view StoreCallName(StoreCall call) {
  // In StoreCall's order.
  static constexpr std::array<std::string_view, 19> kNames = {
      "CreateBatch",     "UpdateBatch",
      "GetBatch",        "FindBatchByFingerprint",
      "ListBatches",     "ListBatchesWithStatus",
      "AddItems",        "LeaseItems",
      "ReleaseItem",     "ExpireLeases",
      "AddResults",      "ReadResults",
      "CountItems",      "CreateFile",
      "GetFile",         "ListFiles",
      "DeleteFile",      "DropItems",
      "ListExpiredFiles"};
  auto index = static_cast<std::size_t>(call);
  return index < kNames.size() ? kNames[index] : "?";
}

std::set<StoreCall> WriteCalls() {
  return {StoreCall::kCreateBatch, StoreCall::kUpdateBatch, StoreCall::kAddItems,
          StoreCall::kLeaseItems,  StoreCall::kReleaseItem, StoreCall::kExpireLeases,
          StoreCall::kAddResults,  StoreCall::kCreateFile,  StoreCall::kDeleteFile,
          StoreCall::kDropItems};
}

Status Faults::Check(StoreCall call) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->calls.empty() && !it->calls.contains(call)) continue;
    if (it->after > 0) {
      --it->after;
      return OkStatus();
    }
    Status error = it->error.WithContext(StoreCallName(call));
    if (it->times && --*it->times <= 0) faults_.erase(it);
    ++failed_;
    return error;
  }
  return OkStatus();
}

}  // namespace sluice::store
