#include "mock/rate_limiter.h"

#include <algorithm>

namespace sluice::mock {
namespace {

constexpr Duration kWindow = std::chrono::minutes(1);

std::optional<BucketReport> Report(std::optional<TokenBucket>& bucket, TimePoint now) {
  if (!bucket) return std::nullopt;
  return BucketReport{bucket->capacity(), bucket->Remaining(now), bucket->TimeUntilFull(now)};
}

}  // namespace

RateLimiter::RateLimiter(std::int64_t rpm, std::int64_t tpm) : rpm_(rpm), tpm_(tpm) {}

RateLimiter::Buckets& RateLimiter::BucketsFor(std::string_view key, TimePoint now) {
  auto it = keys_.find(key);
  if (it != keys_.end()) return it->second;
  Buckets b;
  if (rpm_ > 0) b.requests.emplace(rpm_, kWindow, now);
  if (tpm_ > 0) b.tokens.emplace(tpm_, kWindow, now);
  return keys_.emplace(std::string(key), std::move(b)).first->second;
}

Admission RateLimiter::Admit(std::string_view key, std::int64_t tokens, TimePoint now) {
  Admission a;
  if (rpm_ <= 0 && tpm_ <= 0) return a;
  Buckets& b = BucketsFor(key, now);
  Duration request_wait = b.requests ? b.requests->TimeUntilAvailable(1, now) : Duration::zero();
  Duration token_wait = b.tokens ? b.tokens->TimeUntilAvailable(tokens, now) : Duration::zero();
  if (request_wait > Duration::zero() || token_wait > Duration::zero()) {
    a.admitted = false;
    a.never_fits = token_wait == Duration::max();
    bool by_requests = !a.never_fits && request_wait > Duration::zero();
    TokenBucket& refusing = by_requests ? *b.requests : *b.tokens;
    a.exceeded = by_requests ? LimitKind::kRequests : LimitKind::kTokens;
    a.requested = by_requests ? 1 : tokens;
    a.used = refusing.capacity() - refusing.Remaining(now);
    if (!a.never_fits) a.retry_after = std::max(request_wait, token_wait);
  } else {
    if (b.requests) (void)b.requests->TryTake(1, now);
    if (b.tokens) (void)b.tokens->TryTake(tokens, now);
  }
  a.requests = Report(b.requests, now);
  a.tokens = Report(b.tokens, now);
  return a;
}

}  // namespace sluice::mock
