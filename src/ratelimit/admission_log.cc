#include "ratelimit/admission_log.h"

namespace sluice::ratelimit {

void AdmissionLog::Record(TimePoint at, const Amounts& charged) {
  for (std::size_t i = 0; i < kBudgetCount; ++i) total_[i] += charged[i];
  entries_.push_back({at, charged, total_});
  latest_ = entries_.back();
}

AdmissionLog::Entry AdmissionLog::TakeOldestOr(TimePoint now) {
  if (entries_.empty()) return {now, {}, total_};
  Entry oldest = entries_.front();
  entries_.pop_front();
  return oldest;
}

void AdmissionLog::KeepAtMost(std::size_t count) {
  while (entries_.size() > count) entries_.pop_front();
}

Amounts AdmissionLog::ChargedSince(const Entry& entry) const {
  Amounts since{};
  for (std::size_t i = 0; i < kBudgetCount; ++i) since[i] = total_[i] - entry.total_after[i];
  return since;
}

}  // namespace sluice::ratelimit
