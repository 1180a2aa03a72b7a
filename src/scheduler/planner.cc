#include "scheduler/planner.h"

#include <algorithm>

namespace sluice::scheduler {
namespace {

void Earliest(std::optional<TimePoint>& wake_at, TimePoint t) {
  if (!wake_at || t < *wake_at) wake_at = t;
}

}  // namespace

int Planner::AddDeployment(const std::string& model, ratelimit::LimiterOptions limits,
                           TimePoint now) {
  deployments_.push_back({model, ratelimit::DeploymentLimiter(limits, now)});
  int number = static_cast<int>(deployments_.size()) - 1;
  models_[model].deployments.push_back(number);
  return number;
}

void Planner::Enqueue(const std::string& model, Ticket ticket) {
  ModelQueue& queue = models_[model];
  if (ticket.not_before == TimePoint{}) {
    queue.fresh.push_back(ticket);
  } else {
    queue.retries.emplace(ticket.not_before, ticket);
  }
  ++queued_;
}

std::optional<int> Planner::Admit(ModelQueue& queue, std::int64_t tokens, TimePoint now,
                                  std::optional<TimePoint>& wake_at) {
  const std::size_t n = queue.deployments.size();
  for (std::size_t i = 0; i < n; ++i) {
    int d = queue.deployments[(queue.next_deployment + i) % n];
    ratelimit::DeploymentLimiter& limiter = deployments_[d].limiter;
    if (!limiter.HasFreeSlot()) continue;  // woken by Finished, not by time
    if (limiter.TryAdmit(tokens, now)) {
      queue.next_deployment = (queue.next_deployment + i + 1) % n;
      return d;
    }
    Earliest(wake_at, limiter.WhenAdmissible(tokens, now));
  }
  return std::nullopt;
}

std::optional<Dispatch> Planner::NextForModel(ModelQueue& queue, TimePoint now,
                                              std::optional<TimePoint>& wake_at) {
  // Candidates in age order: retries that are due, then fresh tickets.
  std::size_t scanned = 0;
  Ticket* oldest = nullptr;
  auto consider = [&](Ticket& ticket) -> std::optional<int> {
    if (oldest != nullptr && oldest->passed_over >= options_.max_pass_over) return std::nullopt;
    auto deployment = Admit(queue, ticket.tokens, now, wake_at);
    if (!deployment && oldest == nullptr) oldest = &ticket;
    if (deployment && oldest != nullptr) ++oldest->passed_over;
    return deployment;
  };
  auto due_end = queue.retries.upper_bound(now);
  for (auto it = queue.retries.begin(); it != due_end && scanned < options_.scan_depth;
       ++it, ++scanned) {
    if (auto d = consider(it->second)) {
      Dispatch dispatch{it->second, *d};
      queue.retries.erase(it);
      return dispatch;
    }
  }
  if (due_end != queue.retries.end()) Earliest(wake_at, due_end->first);
  for (auto it = queue.fresh.begin(); it != queue.fresh.end() && scanned < options_.scan_depth;
       ++it, ++scanned) {
    if (auto d = consider(*it)) {
      Dispatch dispatch{*it, *d};
      queue.fresh.erase(it);
      return dispatch;
    }
  }
  return std::nullopt;
}

Decision Planner::Next(TimePoint now) {
  Decision decision;
  for (auto& [model, queue] : models_) {
    if (auto dispatch = NextForModel(queue, now, decision.wake_at)) {
      --queued_;
      decision.dispatch = *dispatch;
      decision.wake_at.reset();
      return decision;
    }
  }
  return decision;
}

}  // namespace sluice::scheduler
