// TransientRetry: `sluice run`'s store calls outside the dispatcher (finding, creating and saving
// the batch, ingesting, writing the results) tried again while they fail for a transient reason
// — busy past the busy timeout, a full disk — with the store backoff, as the dispatcher does for
// its own calls. A permanent failure is returned at once. The wait is injectable so a test counts
// the backoffs instead of sleeping. Each retry is logged as a warning. Thread-compatible: one per
// run.
#pragma once

#include <functional>

#include "common/random.h"
#include "common/result.h"
#include "retry/retry_policy.h"
#include "store/store_errors.h"

namespace sluice::runtime {

struct TransientRetry {
  retry::RetryOptions backoff = retry::kStoreRetry;
  std::function<void(Duration)> wait;  // unset: sleeps on this thread
  Random random{1};
};

namespace internal {
void WaitBeforeRetry(TransientRetry& retry, int attempt, const Status& failure);
}

// Calls `call` (returning a Status or a Result) until it succeeds or fails for a permanent reason.
template <typename Call>
auto RetryTransient(TransientRetry& retry, Call&& call) -> decltype(call()) {
  for (int attempt = 1;; ++attempt) {
    auto result = call();
    Status status = StatusOf(result);
    if (status.ok() || !store::IsTransient(status)) return result;
    internal::WaitBeforeRetry(retry, attempt, status);
  }
}

}  // namespace sluice::runtime
