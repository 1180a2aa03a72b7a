// Planner: the pure heart of the scheduler. It holds the tickets waiting to be sent (per model:
// fresh ones in input order, retries by their time) and one DeploymentLimiter per deployment, and
// answers "what goes next, where, and if nothing can go now, when should I look again?".
// No head-of-line blocking: when the oldest ticket does not fit, a later one that fits may go —
// but only `max_pass_over` times, after which everything waits for the oldest (no starvation).
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

namespace sluice::scheduler {

struct PlannerOptions {
  std::size_t scan_depth = 64;  // how many waiting tickets of a model are considered per decision
  int max_pass_over = 64;       // how often the oldest ticket may be overtaken before all wait
};

struct Ticket {
  std::int64_t id = 0;      // the caller's handle (the item's index)
  std::int64_t tokens = 0;  // the estimate reserved at dispatch
  TimePoint not_before{};   // a retry's earliest time
  int passed_over = 0;
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
  explicit Planner(PlannerOptions options) : options_(options) {}

  // Adds a deployment serving `model`; returns its number.
  int AddDeployment(const std::string& model, ratelimit::LimiterOptions limits, TimePoint now);

  // Queues a ticket for `model` (which must have a deployment). Fresh tickets keep their order;
  // a ticket with not_before in the future waits until then.
  void Enqueue(const std::string& model, Ticket ticket);

  // Decides the next dispatch. A returned dispatch has already been admitted by its deployment's
  // limiter: the caller must send it and then call Finished(deployment).
  Decision Next(TimePoint now);

  void Finished(int deployment) { deployments_[deployment].limiter.Release(); }

  ratelimit::DeploymentLimiter& limiter(int deployment) { return deployments_[deployment].limiter; }
  std::size_t deployment_count() const { return deployments_.size(); }
  std::size_t queued() const { return queued_; }

 private:
  struct Deployment {
    std::string model;
    ratelimit::DeploymentLimiter limiter;
  };
  struct ModelQueue {
    std::vector<int> deployments;
    std::deque<Ticket> fresh;
    std::multimap<TimePoint, Ticket> retries;
    std::size_t next_deployment = 0;  // round-robin start
  };

  std::optional<Dispatch> NextForModel(ModelQueue& queue, TimePoint now,
                                       std::optional<TimePoint>& wake_at);
  // The deployment of `queue` that admits `tokens` now, if any; otherwise lowers wake_at to when
  // one could.
  std::optional<int> Admit(ModelQueue& queue, std::int64_t tokens, TimePoint now,
                           std::optional<TimePoint>& wake_at);

  PlannerOptions options_;
  std::vector<Deployment> deployments_;
  std::map<std::string, ModelQueue> models_;
  std::size_t queued_ = 0;
};

}  // namespace sluice::scheduler
