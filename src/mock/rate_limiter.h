// RateLimiter: OpenAI-style per-API-key limits — a requests bucket (RPM) and a tokens bucket
// (TPM), each holding one minute's limit and refilled continuously. Pure: `now` is passed in.
// Thread-compatible (the mock uses it from its one io thread).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "mock/token_bucket.h"

namespace sluice::mock {

enum class LimitKind { kNone, kRequests, kTokens };

// Per-API-key state, looked up by a string_view key without building a std::string.
struct ApiKeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename Value>
using ByApiKey = std::unordered_map<std::string, Value, ApiKeyHash, std::equal_to<>>;

// One bucket as the x-ratelimit-{limit,remaining,reset}-* headers describe it.
struct BucketReport {
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  Duration reset{0};  // until the bucket is full again
};

struct Admission {
  bool admitted = true;
  LimitKind exceeded = LimitKind::kNone;  // the limit that refused the request
  bool never_fits = false;     // the request costs more than the limit itself; waiting cannot help
  Duration retry_after{0};     // refused and fits later: how long until both buckets allow it
  std::int64_t used = 0;       // refused: limit - remaining of the exceeded bucket
  std::int64_t requested = 0;  // refused: what the request asked of the exceeded bucket
  std::optional<BucketReport> requests;  // nullopt when RPM is unlimited
  std::optional<BucketReport> tokens;    // nullopt when TPM is unlimited
};

class RateLimiter {
 public:
  // `rpm` / `tpm` per key; 0 means unlimited (no bucket, no report).
  RateLimiter(std::int64_t rpm, std::int64_t tpm);

  // Charges one request and `tokens` tokens to `key`'s buckets if both have room at `now`, and
  // reports the buckets after the charge. Otherwise charges nothing and says which limit refused
  // (requests are checked first) and when the request would fit.
  Admission Admit(std::string_view key, std::int64_t tokens, TimePoint now);

  // Forgets every key (buckets start full again).
  void Clear() { keys_.clear(); }

 private:
  struct Buckets {
    std::optional<TokenBucket> requests;
    std::optional<TokenBucket> tokens;
  };
  Buckets& BucketsFor(std::string_view key, TimePoint now);

  std::int64_t rpm_;
  std::int64_t tpm_;
  ByApiKey<Buckets> keys_;
};

}  // namespace sluice::mock
