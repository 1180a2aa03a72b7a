#include "store/memory/faults.h"

#include <string>

namespace sluice::store {

std::string_view StoreCallName(StoreCall call) {
  switch (call) {
    case StoreCall::kCreateBatch: return "CreateBatch";
    case StoreCall::kUpdateBatch: return "UpdateBatch";
    case StoreCall::kGetBatch: return "GetBatch";
    case StoreCall::kFindBatchByFingerprint: return "FindBatchByFingerprint";
    case StoreCall::kListBatches: return "ListBatches";
    case StoreCall::kListBatchesWithStatus: return "ListBatchesWithStatus";
    case StoreCall::kAddItems: return "AddItems";
    case StoreCall::kLeaseItems: return "LeaseItems";
    case StoreCall::kReleaseItem: return "ReleaseItem";
    case StoreCall::kExpireLeases: return "ExpireLeases";
    case StoreCall::kAddResults: return "AddResults";
    case StoreCall::kReadResults: return "ReadResults";
    case StoreCall::kCountItems: return "CountItems";
    case StoreCall::kCreateFile: return "CreateFile";
    case StoreCall::kGetFile: return "GetFile";
    case StoreCall::kListFiles: return "ListFiles";
    case StoreCall::kDeleteFile: return "DeleteFile";
  }
  return "?";
}

std::set<StoreCall> WriteCalls() {
  return {StoreCall::kCreateBatch, StoreCall::kUpdateBatch,  StoreCall::kAddItems,
          StoreCall::kLeaseItems,  StoreCall::kReleaseItem,  StoreCall::kExpireLeases,
          StoreCall::kAddResults,  StoreCall::kCreateFile,   StoreCall::kDeleteFile};
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
