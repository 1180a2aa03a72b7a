#include "runtime/store_retry.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace sluice::runtime::internal {

void WaitBeforeRetry(TransientRetry& retry, int attempt, const Status& failure) {
  // Past 16 attempts the backoff is at its cap anyway.
  Duration wait = retry::RetryPolicy(retry.backoff).Backoff(std::min(attempt, 16), retry.random);
  spdlog::warn("the store failed, retrying in {} ms: {}",
               std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(),
               failure.ToString());
  if (retry.wait) {
    retry.wait(wait);
  } else {
    std::this_thread::sleep_for(wait);
  }
}

}  // namespace sluice::runtime::internal
