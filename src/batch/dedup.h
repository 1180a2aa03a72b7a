// Dedup within a batch: which lines may share one upstream request (DedupMode, DedupEligible),
// the key that says two lines ask the same thing (DedupKeyOf: a 128-bit hash of the endpoint, the
// model and the body's canonical JSON), and DuplicateFinder, which remembers the first line of
// each key while a file is read (hashes only, never bodies). A duplicate's answer is the first
// line's, copied when that one is answered (docs/config.md, "Dedup"). Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "batch/request_line.h"

namespace sluice::batch {

enum class DedupMode {
  kOff,     // every line is sent
  kAuto,    // embeddings, and completions asked with temperature 0 (default)
  kAlways,  // every endpoint, whatever the temperature
};

// "off" | "auto" | "always"; nullopt otherwise.
std::optional<DedupMode> ParseDedupMode(std::string_view text);
std::string_view DedupModeName(DedupMode mode);

// Whether a line of `endpoint` with this canonical body may share another's answer under `mode`:
// under kAuto an answer is only shared when it would be the same anyway (embeddings, or
// "temperature": 0 on chat and completions; a missing temperature is 1, sampled).
bool DedupEligible(DedupMode mode, Endpoint endpoint, std::string_view body);

struct DedupKey {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  bool operator==(const DedupKey&) const = default;
};

// The key of a line; nullopt when `body` is not JSON (it is never shared).
std::optional<DedupKey> DedupKeyOf(Endpoint endpoint, std::string_view model,
                                   std::string_view body);

// The most lines that share one request: past it the next identical line is sent again and
// starts a group of its own, so that one answer is never copied into memory without bound.
inline constexpr std::int64_t kMaxDuplicatesPerRequest = 1000;

class DuplicateFinder {
 public:
  explicit DuplicateFinder(DedupMode mode) : mode_(mode) {}

  // The index of the earlier line whose answer line `index` shares, or nullopt when it is to be
  // sent (it is then remembered as the first of its key). Lines are given in input order.
  std::optional<std::int64_t> Check(std::int64_t index, Endpoint endpoint, std::string_view model,
                                    std::string_view body);

 private:
  struct KeyHash {
    std::size_t operator()(const DedupKey& key) const { return key.high ^ (key.low * 31); }
  };
  struct First {
    std::int64_t index = 0;
    std::int64_t duplicates = 0;
  };
  DedupMode mode_;
  std::unordered_map<DedupKey, First, KeyHash> firsts_;
};

}  // namespace sluice::batch
