#include "ratelimit/deployment_limiter.h"

#include <algorithm>

#include "ratelimit/accounting.h"

namespace sluice::ratelimit {
namespace {

constexpr Duration kDefaultOverloadPause = std::chrono::seconds(1);
// Our level is raised to the provider's only when it is short by more than this share of the
// limit (or twice the largest request), so that noise in the estimate cannot push us over.
constexpr double kRaiseTolerance = 0.005;
constexpr double kOutputSmoothing = 0.2;
// Admissions released but not yet observed that the log keeps (Release and Observe may come in
// either order); beyond that, the oldest entries belong to answers that will never be observed.
constexpr std::size_t kUnobservedSlack = 1024;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// The field of `options` that holds `budget`'s limit.
std::int64_t& LimitOption(LimiterOptions& options, Budget budget) {
  switch (budget) {
    case Budget::kRequests:
      return options.rpm;
    case Budget::kTokens:
      return options.tpm;
    case Budget::kInputTokens:
      return options.input_tpm;
    case Budget::kOutputTokens:
      break;
  }
  return options.output_tpm;
}

bool IsOverloadStatus(int status) { return status == 503 || status == 529; }

}  // namespace

DeploymentLimiter::DeploymentLimiter(LimiterOptions options, TimePoint now)
    : options_(std::move(options)), window_(options_.max_in_flight, options_.max_in_flight) {
  bool all_known = true;
  for (Budget budget : kAllBudgets) {
    Meter& m = meter(budget);
    m.metered = Meters(options_.accounting, budget);
    if (!m.metered) continue;
    m.estimate = LimitEstimate(LimitOption(options_, budget));
    if (m.estimate.value() > 0) {
      m.bucket.emplace(static_cast<double>(m.estimate.value()), options_.window, now);
    } else {
      all_known = false;
    }
  }
  if (!all_known) window_ = ConcurrencyWindow(options_.max_in_flight, kProbingStart);
}

double DeploymentLimiter::RaiseTolerance(const Meter& m) {
  return std::max(kRaiseTolerance * m.bucket->capacity(), 2 * m.largest_charge);
}

Amounts DeploymentLimiter::ChargesOf(const Cost& cost) const {
  return AdmissionCharges(options_.accounting, cost, expected_output_);
}

TimePoint DeploymentLimiter::WhenAdmissible(const Cost& cost, TimePoint now) const {
  TimePoint when = std::max(now, paused_until_);
  Amounts charges = ChargesOf(cost);
  for (Budget budget : kAllBudgets) {
    const Meter& m = meter(budget);
    if (m.bucket) when = std::max(when, m.bucket->WhenAvailable(charges[Index(budget)], now));
  }
  return when;
}

TimePoint DeploymentLimiter::WhenAdmissible(std::int64_t tokens, TimePoint now) const {
  return WhenAdmissible(Cost{.prompt_tokens = tokens, .max_output_tokens = 0}, now);
}

bool DeploymentLimiter::TryAdmit(const Cost& cost, TimePoint now) {
  if (!HasFreeSlot() || WhenAdmissible(cost, now) > now) return false;
  Amounts charges = ChargesOf(cost);
  for (Budget budget : kAllBudgets) {
    Meter& m = meter(budget);
    double charge = charges[Index(budget)];
    m.largest_charge = std::max(m.largest_charge, charge);
    if (!m.bucket) continue;
    (void)m.bucket->TryTake(charge, now);  // fits: checked above
    if (m.bucket->Available(now) > RaiseTolerance(m)) m.unbound_at = now;
  }
  admissions_.Record(now, charges);
  ++in_flight_;
  return true;
}

bool DeploymentLimiter::TryAdmit(std::int64_t tokens, TimePoint now) {
  return TryAdmit(Cost{.prompt_tokens = tokens, .max_output_tokens = 0}, now);
}

void DeploymentLimiter::Release() {
  in_flight_ = std::max(0, in_flight_ - 1);
  // Bounded even when answers are never observed; the slack keeps those about to be.
  admissions_.KeepAtMost(static_cast<std::size_t>(in_flight_) + kUnobservedSlack);
}

std::optional<std::string> DeploymentLimiter::Observe(const Feedback& feedback, TimePoint now) {
  AdmissionLog::Entry entry = admissions_.TakeOldestOr(now);
  bool changed = LearnLimits(feedback, now);
  Settle(entry, feedback, now);
  Correct(entry, feedback, now);
  if (feedback.status_code == 429) {
    changed = OnRateLimited(entry, feedback, now) || changed;
  } else if (IsOverloadStatus(feedback.status_code) || feedback.timed_out) {
    OnOverload(entry, feedback, now);
  } else if (feedback.status_code >= 200 && feedback.status_code < 300) {
    window_.OnSuccess();
  }
  if (options_.accounting == Accounting::kAnthropic && feedback.has_usage) {
    expected_output_ +=
        kOutputSmoothing * (static_cast<double>(feedback.output_tokens) - expected_output_);
  }
  if (!changed) return std::nullopt;
  return LimitsNews();
}

bool DeploymentLimiter::LearnLimits(const Feedback& feedback, TimePoint now) {
  bool changed = false;
  for (Budget budget : kAllBudgets) {
    Meter& m = meter(budget);
    if (!m.metered || !m.estimate.Observe(feedback.hint(budget), options_.window)) continue;
    changed = true;
    AdoptLimit(budget, now);
  }
  return changed;
}

void DeploymentLimiter::AdoptLimit(Budget budget, TimePoint now) {
  Meter& m = meter(budget);
  LimitOption(options_, budget) = m.estimate.value();
  auto limit = static_cast<double>(m.estimate.value());
  if (m.bucket) {
    m.bucket->SetCapacity(limit, now);
  } else {
    m.bucket.emplace(limit, options_.window, now);
  }
}

void DeploymentLimiter::Settle(const AdmissionLog::Entry& entry, const Feedback& feedback,
                               TimePoint now) {
  std::optional<Amounts> final_charges = FinalCharges(options_.accounting, entry.charged, feedback);
  if (!final_charges) return;
  for (Budget budget : kAllBudgets) {
    Meter& m = meter(budget);
    std::size_t i = Index(budget);
    if (m.bucket) m.bucket->Adjust(entry.charged[i] - (*final_charges)[i], now);
  }
}

// The provider's remaining budget was measured when it admitted the request answered; since then
// it has refilled, and charged what was sent after that request. Which request was answered is
// not known: AdmissionLog matches answers to admissions oldest first, and in a burst answers
// overtake each other by up to the whole burst. So we lower our level only when even the most
// favourable reading — the answer is to the last request sent, nothing was sent since — leaves
// the provider with less than we think. We raise it only on the matched reading, by more than
// twice the noise margin, to a margin short of it, and only once this budget has held us back
// for two round trips (so that sends and refill have kept pace and the reading is close).
void DeploymentLimiter::Correct(const AdmissionLog::Entry& entry, const Feedback& feedback,
                                TimePoint now) {
  const AdmissionLog::Entry& latest = admissions_.latest().value_or(entry);
  Amounts since = admissions_.ChargedSince(entry);
  Duration round_trip = std::max(Duration::zero(), now - entry.at);
  for (Budget budget : kAllBudgets) {
    Meter& m = meter(budget);
    const BudgetHint& hint = feedback.hint(budget);
    if (!m.bucket || !hint.remaining) continue;
    double capacity = m.bucket->capacity();
    double rate = capacity / Seconds(options_.window);
    auto remaining = static_cast<double>(*hint.remaining);
    double ours = m.bucket->Available(now);
    double at_most =
        std::min(capacity, remaining + rate * Seconds(std::max(Duration::zero(), now - latest.at)));
    if (at_most < ours) {
      m.bucket->SetAvailable(at_most, now);
      continue;
    }
    double matched =
        std::min(capacity, remaining + rate * Seconds(round_trip)) - since[Index(budget)];
    double tolerance = RaiseTolerance(m);
    bool held_back = entry.at - m.unbound_at >= 2 * round_trip;
    if (held_back && matched > ours + 2 * tolerance) {
      m.bucket->SetAvailable(matched - tolerance, now);  // never above it by the noise
    }
  }
}

// Returns whether a limit changed. A 429 that names (or whose headers show) an exhausted budget
// empties that budget until the retry-after; one that no budget explains is an overload.
bool DeploymentLimiter::OnRateLimited(const AdmissionLog::Entry& entry, const Feedback& feedback,
                                      TimePoint now) {
  std::optional<Budget> exhausted = feedback.exceeded;
  for (Budget budget : kAllBudgets) {
    const BudgetHint& hint = feedback.hint(budget);
    if (!exhausted && meter(budget).metered && hint.remaining &&
        static_cast<double>(*hint.remaining) < entry.charged[Index(budget)]) {
      exhausted = budget;
    }
  }
  if (!exhausted || !meter(*exhausted).bucket) {
    OnOverload(entry, feedback, now);
    return false;
  }
  Meter& m = meter(*exhausted);
  bool changed = false;
  // Without the provider's numbers the limit itself is the suspect: believe less, once per round.
  if (!feedback.hint(*exhausted).remaining && entry.at >= m.last_shrink && m.estimate.Shrink()) {
    AdoptLimit(*exhausted, now);
    m.last_shrink = now;
    changed = true;
  }
  double rate = m.bucket->capacity() / Seconds(options_.window);
  double empty_until = -rate * Seconds(feedback.retry_after.value_or(Duration::zero()));
  m.bucket->SetAvailable(std::min(m.bucket->Available(now), empty_until), now);
  return changed;
}

void DeploymentLimiter::OnOverload(const AdmissionLog::Entry& entry, const Feedback& feedback,
                                   TimePoint now) {
  if (feedback.status_code == 429) {
    window_.OnRefused(entry.at, now);
  } else {
    window_.OnOverload(entry.at, now);
  }
  if (feedback.status_code == 429 || feedback.retry_after) {
    paused_until_ =
        std::max(paused_until_, now + feedback.retry_after.value_or(kDefaultOverloadPause));
  }
}

std::int64_t DeploymentLimiter::limit(Budget budget) const {
  const Meter& m = meter(budget);
  return m.metered ? m.estimate.value() : 0;
}

std::optional<double> DeploymentLimiter::Available(Budget budget, TimePoint now) const {
  const Meter& m = meter(budget);
  if (!m.bucket) return std::nullopt;
  return m.bucket->Available(now);
}

std::string DeploymentLimiter::LimitsNews() const {
  std::string known;
  std::string configured;
  for (Budget budget : kAllBudgets) {
    const Meter& m = meter(budget);
    if (!m.metered) continue;
    auto add = [budget](std::string& list, std::int64_t value, bool approximate) {
      if (value <= 0) return;
      if (!list.empty()) list += ", ";
      if (approximate) list += "~";
      list += std::to_string(value) + " " + std::string(BudgetUnit(budget));
    };
    add(known, m.estimate.value(), m.estimate.source() == LimitSource::kInferred);
    add(configured, m.estimate.configured(), false);
  }
  return options_.name + ": provider limits are " + (known.empty() ? "unknown" : known) +
         " (configured " + (configured.empty() ? "none" : configured) + ")";
}

}  // namespace sluice::ratelimit
