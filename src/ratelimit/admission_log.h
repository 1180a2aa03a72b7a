// AdmissionLog: one deployment's admissions whose answers have not been observed yet, oldest
// first, with a running total of everything charged. An answer is matched to the oldest
// outstanding admission: exact when answers come back in order, and when they overtake each
// other the charges taken out still sum to the charges put in, so a correction may come a little
// early or late but never adds up wrong. Pure; thread-compatible.
#pragma once

#include <deque>
#include <optional>

#include "ratelimit/feedback.h"

namespace sluice::ratelimit {

class AdmissionLog {
 public:
  struct Entry {
    TimePoint at{};
    Amounts charged{};
    Amounts total_after{};  // every charge recorded up to and including this one
  };

  void Record(TimePoint at, const Amounts& charged);

  // Removes and returns the oldest entry; when there is none, an empty one recorded at `now`.
  Entry TakeOldestOr(TimePoint now);

  // Drops the oldest entries beyond `count` (admissions whose answers will never be observed).
  void KeepAtMost(std::size_t count);

  // What was charged after `entry` was recorded.
  Amounts ChargedSince(const Entry& entry) const;

  // The entry recorded last, whether or not it has been taken; nullopt before the first.
  const std::optional<Entry>& latest() const { return latest_; }

  std::size_t size() const { return entries_.size(); }

 private:
  std::deque<Entry> entries_;
  Amounts total_{};
  std::optional<Entry> latest_;
};

}  // namespace sluice::ratelimit
