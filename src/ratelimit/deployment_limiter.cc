#include "ratelimit/deployment_limiter.h"

#include <algorithm>

namespace sluice::ratelimit {

DeploymentLimiter::DeploymentLimiter(LimiterOptions options, TimePoint now) : options_(options) {
  if (options_.rpm > 0) requests_.emplace(static_cast<double>(options_.rpm), options_.window, now);
  if (options_.tpm > 0) tokens_.emplace(static_cast<double>(options_.tpm), options_.window, now);
}

TimePoint DeploymentLimiter::WhenAdmissible(std::int64_t tokens, TimePoint now) const {
  TimePoint when = std::max(now, paused_until_);
  if (requests_) when = std::max(when, requests_->WhenAvailable(1, now));
  if (tokens_) when = std::max(when, tokens_->WhenAvailable(static_cast<double>(tokens), now));
  return when;
}

bool DeploymentLimiter::TryAdmit(std::int64_t tokens, TimePoint now) {
  if (!HasFreeSlot() || WhenAdmissible(tokens, now) > now) return false;
  if (requests_) requests_->TryTake(1, now);
  if (tokens_) tokens_->TryTake(static_cast<double>(tokens), now);
  ++in_flight_;
  return true;
}

void DeploymentLimiter::Release() { in_flight_ = std::max(0, in_flight_ - 1); }

void DeploymentLimiter::Settle(std::int64_t delta_tokens, TimePoint now) {
  if (tokens_) tokens_->Adjust(static_cast<double>(delta_tokens), now);
}

void DeploymentLimiter::ObserveRemaining(std::optional<std::int64_t> requests,
                                         std::optional<std::int64_t> tokens, TimePoint now) {
  if (requests && requests_ && *requests < requests_->Available(now)) {
    requests_->SetAvailable(static_cast<double>(*requests), now);
  }
  if (tokens && tokens_ && *tokens < tokens_->Available(now)) {
    tokens_->SetAvailable(static_cast<double>(*tokens), now);
  }
}

void DeploymentLimiter::ObserveLimits(std::optional<std::int64_t> rpm,
                                      std::optional<std::int64_t> tpm, TimePoint now) {
  auto adopt = [&](std::optional<TokenBucket>& bucket, std::optional<std::int64_t> limit,
                   std::int64_t& configured) {
    if (!limit || *limit <= 0 || *limit == configured) return;
    configured = *limit;
    if (bucket) {
      bucket->SetCapacity(static_cast<double>(*limit), now);
    } else {
      bucket.emplace(static_cast<double>(*limit), options_.window, now);
    }
  };
  adopt(requests_, rpm, options_.rpm);
  adopt(tokens_, tpm, options_.tpm);
}

void DeploymentLimiter::PauseUntil(TimePoint until, TimePoint now) {
  paused_until_ = std::max(paused_until_, until);
  if (requests_) requests_->SetAvailable(std::min(0.0, requests_->Available(now)), now);
  if (tokens_) tokens_->SetAvailable(std::min(0.0, tokens_->Available(now)), now);
}

}  // namespace sluice::ratelimit
