// Planner: the pure heart of the scheduler. It holds the tickets waiting to be sent (per model:
// fresh ones in input order, retries by their time) and one DeploymentLimiter per deployment, and
// answers "what goes next, where, and if nothing can go now, when should I look again?".
// No head-of-line blocking: when the oldest ticket does not fit, a later one that fits may go —
// but only for half the time the oldest needs to fit by itself (then everything waits for it),
// and at most `max_pass_over` times: a large request is delayed by small ones, never starved.
// Lanes: every ticket belongs to a lane (a batch, or a tenant's interactive requests) with a
// priority and a tenant. Lanes are tried by priority (interactive first), and within a priority
// the tenant that has been served the fewest tokens goes first (fair sharing: a small batch is
// not stuck behind another tenant's huge one). A batch lane left unserved ages one priority step
// per `aging` (never above high), so nothing starves.
// Routing: a ticket goes to one of its model's deployments that has room now (a free slot, the
// budgets for it, and a breaker that lets it through); the model's router::Strategy picks among
// them. A deployment whose breaker is open gets nothing until its probe is due, which is then a
// time to wake at.
// Spend limits: a lane may carry what it may still spend (its batch's cost cap, its key's); a
// ticket whose cost does not fit is held back (the lane is then "held by its spend limit"), and
// a dispatched ticket's cost is taken from the limit until the caller sets it again.
// Pure: every call takes `now`; owned by the scheduler's control executor. Thread-compatible.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "ratelimit/deployment_limiter.h"
#include "router/circuit_breaker.h"
#include "router/latency_ewma.h"
#include "router/strategy.h"

namespace sluice::scheduler {

struct PlannerOptions {
  std::size_t scan_depth = 64;  // how many waiting tickets of a lane are considered per decision
  int max_pass_over = 64;       // how often the oldest ticket may be overtaken before all wait
  Duration aging = std::chrono::seconds(30);  // an unserved batch lane gains a priority step
};

// Interactive (proxy) requests come before every batch; batches carry high, normal or low.
enum class Priority { kInteractive = 0, kHigh = 1, kNormal = 2, kLow = 3 };

struct LaneOptions {
  Priority priority = Priority::kNormal;
  std::string tenant;
};

// A tenant's own quota (a gateway key's rpm and tpm), over every deployment; 0: none.
struct TenantLimits {
  std::int64_t rpm = 0;
  std::int64_t tpm = 0;
};

// How the router sees one deployment (router/strategy.h) and its breaker's settings.
struct DeploymentRouting {
  int weight = 1;     // weighted
  int priority = 0;   // ordered: the tier, lower first
  double price = 0;   // cheapest: dollars per million tokens (input + output rate)
  router::BreakerOptions breaker{};
};

struct Ticket {
  std::int64_t id = 0;      // the caller's handle, unique among queued tickets
  std::int64_t tokens = 0;  // the estimate reserved at dispatch
  TimePoint not_before{};   // a retry's earliest time
  int passed_over = 0;
  int lane = 0;  // from AddLane; lane 0 (normal priority, no tenant) always exists
  // Set when it first does not fit: halfway to when it would fit if nothing else were sent.
  // Later tickets may overtake it until then, not after: a large request is not starved.
  TimePoint overtaken_until{};
  std::int64_t cost = 0;  // what it may cost at most (nanodollars), against its lane's spend limit
};

struct Dispatch {
  Ticket ticket;
  int deployment = 0;
};

// Either a dispatch to make now, or when to ask again (wake_at unset: when a request finishes,
// or when new tickets arrive).
struct Decision {
  std::optional<Dispatch> dispatch;
  std::optional<TimePoint> wake_at;
};

class Planner {
 public:
  explicit Planner(PlannerOptions options);

  // Adds a deployment serving `model`; returns its number.
  int AddDeployment(const std::string& model, ratelimit::LimiterOptions limits, TimePoint now,
                    DeploymentRouting routing = {});
  // How `model`'s deployments are chosen among (expected-finish unless set).
  void SetStrategy(const std::string& model, router::Strategy strategy);

  // Caps what `tenant`'s lanes may take, whatever the deployments have left.
  void SetTenantLimits(const std::string& tenant, TenantLimits limits, TimePoint now);
  // When `tenant`'s quota lets a request of `tokens` go (now when it has no quota).
  TimePoint WhenTenantAdmits(const std::string& tenant, std::int64_t tokens, TimePoint now) const;

  // Adds a lane; returns its number. A tenant new to the planner starts level with the tenants
  // being served, not with a head start.
  int AddLane(LaneOptions options);
  // Removes a lane and its queued tickets; returns their ids.
  std::vector<std::int64_t> RemoveLane(int lane);
  // Removes one queued ticket of `lane` (for `model`); false when it is not queued.
  bool Remove(const std::string& model, int lane, std::int64_t id);
  // Removes every queued ticket of `model`, each lane's fresh ones first; returns them.
  std::vector<Ticket> TakeQueued(const std::string& model);

  // What `lane` may still spend (nanodollars); nullopt: no limit (the default).
  void SetSpendLimit(int lane, std::optional<std::int64_t> left);
  // Whether the last Next() held back one of `lane`'s tickets for its spend limit.
  bool HeldBySpendLimit(int lane) const;

  // Queues a ticket for `model` (which must have a deployment) in its lane. Fresh tickets keep
  // their order; a ticket with not_before in the future waits until then.
  void Enqueue(const std::string& model, Ticket ticket);

  // Decides the next dispatch. A returned dispatch has already been admitted by its deployment's
  // limiter: the caller must send it and then call Finished(deployment).
  Decision Next(TimePoint now);

  void Finished(int deployment) { deployments_[deployment].limiter.Release(); }

  // An answer (or failure) of a request sent to `deployment`: feeds its breaker, and its latency
  // EWMA when `latency` is set (successful answers). Returns the breaker's new state when it
  // changed.
  std::optional<router::BreakerState> Answered(int deployment, router::Signal signal,
                                               std::optional<Duration> latency, TimePoint now);
  // True when no deployment of `model` lets a request through now (each breaker open, or
  // half-open with its probe out): an interactive request is answered 503 at once.
  bool Unavailable(const std::string& model, TimePoint now) const;

  ratelimit::DeploymentLimiter& limiter(int deployment) { return deployments_[deployment].limiter; }
  const ratelimit::DeploymentLimiter& limiter(int deployment) const {
    return deployments_[deployment].limiter;
  }
  const router::CircuitBreaker& breaker(int deployment) const {
    return deployments_[deployment].breaker;
  }
  const router::LatencyEwma& latency(int deployment) const {
    return deployments_[deployment].latency;
  }
  std::size_t deployment_count() const { return deployments_.size(); }
  std::size_t queued() const { return queued_; }

 private:
  struct Deployment {
    std::string model;
    ratelimit::DeploymentLimiter limiter;
    DeploymentRouting routing;
    router::CircuitBreaker breaker;
    router::LatencyEwma latency{};
  };
  struct LaneQueue {  // one lane's tickets for one model
    std::deque<Ticket> fresh;
    std::multimap<TimePoint, Ticket> retries;
    bool empty() const { return fresh.empty() && retries.empty(); }
  };
  struct ModelQueue {
    std::vector<int> deployments;
    std::map<int, LaneQueue> lanes;   // only lanes with tickets
    router::Router router;
  };
  struct Quota {  // a tenant's own buckets
    std::optional<ratelimit::TokenBucket> requests;
    std::optional<ratelimit::TokenBucket> tokens;
    TimePoint When(std::int64_t cost, TimePoint now) const;
    void Take(std::int64_t cost, TimePoint now);
  };
  struct Lane {
    LaneOptions options;
    std::optional<TimePoint> waiting_since;  // unserved since (while it has tickets)
    double served_tokens = 0;
    std::size_t queued = 0;  // tickets in every model's queue
    Quota* quota = nullptr;  // its tenant's, if any
    std::optional<std::int64_t> spend_left = std::nullopt;  // SetSpendLimit, less dispatches since
    bool held_by_spend = false;
  };
  std::optional<Dispatch> NextForModel(ModelQueue& queue, TimePoint now,
                                       std::optional<TimePoint>& wake_at);
  // The lanes of `queue` in the order they are offered capacity now.
  std::vector<int> LaneOrder(const ModelQueue& queue, TimePoint now);
  int EffectivePriority(Lane& lane, TimePoint now);
  void Served(int lane, const Ticket& ticket, TimePoint now);
  // The deployment of `queue` the router picks among those that admit `tokens` now, if any;
  // otherwise lowers wake_at to when one could (a budget refilled, a probe due).
  // `fits_at` (optional) gets when the ticket could go on the deployments with a free slot.
  std::optional<int> Admit(ModelQueue& queue, std::int64_t tokens, TimePoint now,
                           std::optional<TimePoint>& wake_at,
                           std::optional<TimePoint>* fits_at = nullptr);
  // Whether `oldest` may no longer be overtaken.
  bool Blocks(const Ticket* oldest, TimePoint now) const;

  PlannerOptions options_;
  std::vector<Deployment> deployments_;
  std::map<std::string, ModelQueue> models_;
  std::map<int, Lane> lanes_;
  int next_lane_ = 0;
  std::map<std::string, double> tenant_served_;  // tokens dispatched per tenant
  std::map<std::string, Quota> quotas_;          // tenants with their own limits
  std::size_t queued_ = 0;
};

}  // namespace sluice::scheduler
