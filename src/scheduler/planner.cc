#include "scheduler/planner.h"

#include <algorithm>
#include <tuple>

namespace sluice::scheduler {
namespace {

void Earliest(std::optional<TimePoint>& wake_at, TimePoint t) {
  if (!wake_at || t < *wake_at) wake_at = t;
}

}  // namespace

Planner::Planner(PlannerOptions options) : options_(options) { AddLane({}); }

int Planner::AddDeployment(const std::string& model, ratelimit::LimiterOptions limits,
                           TimePoint now, DeploymentRouting routing) {
  router::CircuitBreaker breaker(routing.breaker);
  deployments_.push_back(
      {model, ratelimit::DeploymentLimiter(limits, now), routing, std::move(breaker)});
  int number = static_cast<int>(deployments_.size()) - 1;
  models_[model].deployments.push_back(number);
  return number;
}

void Planner::SetStrategy(const std::string& model, router::Strategy strategy) {
  models_[model].router = router::Router(strategy);
}

std::optional<router::BreakerState> Planner::Answered(int deployment, router::Signal signal,
                                                      std::optional<Duration> latency,
                                                      TimePoint now) {
  Deployment& d = deployments_[deployment];
  if (latency) d.latency.Add(*latency);
  return d.breaker.OnAnswer(signal, now);
}

bool Planner::Unavailable(const std::string& model, TimePoint now) const {
  auto queue = models_.find(model);
  if (queue == models_.end()) return false;
  return std::none_of(queue->second.deployments.begin(), queue->second.deployments.end(),
                      [&](int d) { return deployments_[d].breaker.Allows(now); });
}

TimePoint Planner::Quota::When(std::int64_t cost, TimePoint now) const {
  TimePoint when = now;
  if (requests) when = std::max(when, requests->WhenAvailable(1, now));
  if (tokens) when = std::max(when, tokens->WhenAvailable(static_cast<double>(cost), now));
  return when;
}

void Planner::Quota::Take(std::int64_t cost, TimePoint now) {
  if (requests) requests->Adjust(-1, now);
  if (tokens) tokens->Adjust(-static_cast<double>(cost), now);
}

void Planner::SetTenantLimits(const std::string& tenant, TenantLimits limits, TimePoint now) {
  Quota quota;
  auto window = std::chrono::minutes(1);
  if (limits.rpm > 0) quota.requests.emplace(static_cast<double>(limits.rpm), window, now);
  if (limits.tpm > 0) quota.tokens.emplace(static_cast<double>(limits.tpm), window, now);
  if (!quota.requests && !quota.tokens) return;
  quotas_[tenant] = std::move(quota);
  for (auto& [number, lane] : lanes_) {
    if (lane.options.tenant == tenant) lane.quota = &quotas_[tenant];
  }
}

TimePoint Planner::WhenTenantAdmits(const std::string& tenant, std::int64_t tokens,
                                    TimePoint now) const {
  auto quota = quotas_.find(tenant);
  return quota == quotas_.end() ? now : quota->second.When(tokens, now);
}

int Planner::AddLane(LaneOptions options) {
  // Level with the least-served tenant that has a lane now: no head start from an idle past.
  std::optional<double> level;
  for (const auto& [number, lane] : lanes_) {
    if (lane.options.tenant == options.tenant) continue;
    double served = tenant_served_[lane.options.tenant];
    if (!level || served < *level) level = served;
  }
  double& served = tenant_served_[options.tenant];
  if (level) served = std::max(served, *level);
  int number = next_lane_++;
  auto quota = quotas_.find(options.tenant);
  lanes_[number] = Lane{.options = std::move(options),
                        .waiting_since = {},
                        .served_tokens = 0,
                        .queued = 0,
                        .quota = quota == quotas_.end() ? nullptr : &quota->second};
  return number;
}

std::vector<std::int64_t> Planner::RemoveLane(int lane) {
  std::vector<std::int64_t> removed;
  for (auto& [model, queue] : models_) {
    auto it = queue.lanes.find(lane);
    if (it == queue.lanes.end()) continue;
    for (const Ticket& t : it->second.fresh) removed.push_back(t.id);
    for (const auto& [when, t] : it->second.retries) removed.push_back(t.id);
    queue.lanes.erase(it);
  }
  queued_ -= removed.size();
  lanes_.erase(lane);
  return removed;
}

bool Planner::Remove(const std::string& model, int lane, std::int64_t id) {
  auto queue = models_.find(model);
  if (queue == models_.end()) return false;
  auto found = queue->second.lanes.find(lane);
  if (found == queue->second.lanes.end()) return false;
  LaneQueue& tickets = found->second;
  auto fresh = std::find_if(tickets.fresh.begin(), tickets.fresh.end(),
                            [id](const Ticket& t) { return t.id == id; });
  if (fresh != tickets.fresh.end()) {
    tickets.fresh.erase(fresh);
  } else {
    auto retry = std::find_if(tickets.retries.begin(), tickets.retries.end(),
                              [id](const auto& entry) { return entry.second.id == id; });
    if (retry == tickets.retries.end()) return false;
    tickets.retries.erase(retry);
  }
  if (tickets.empty()) queue->second.lanes.erase(found);
  --queued_;
  --lanes_[lane].queued;
  return true;
}

std::vector<Ticket> Planner::TakeQueued(const std::string& model) {
  std::vector<Ticket> taken;
  auto queue = models_.find(model);
  if (queue == models_.end()) return taken;
  for (auto& [lane, tickets] : queue->second.lanes) {
    std::size_t before = taken.size();
    taken.insert(taken.end(), tickets.fresh.begin(), tickets.fresh.end());
    for (const auto& [when, ticket] : tickets.retries) taken.push_back(ticket);
    std::size_t count = taken.size() - before;
    queued_ -= count;
    lanes_[lane].queued -= count;
  }
  queue->second.lanes.clear();
  return taken;
}

void Planner::SetSpendLimit(int lane, std::optional<std::int64_t> left) {
  auto it = lanes_.find(lane);
  if (it != lanes_.end()) it->second.spend_left = left;
}

bool Planner::HeldBySpendLimit(int lane) const {
  auto it = lanes_.find(lane);
  return it != lanes_.end() && it->second.held_by_spend;
}

void Planner::Enqueue(const std::string& model, Ticket ticket) {
  Lane& lane = lanes_[ticket.lane];
  if (lane.queued++ == 0) lane.waiting_since.reset();  // an idle lane does not age
  LaneQueue& queue = models_[model].lanes[ticket.lane];
  if (ticket.not_before == TimePoint{}) {
    queue.fresh.push_back(ticket);
  } else {
    queue.retries.emplace(ticket.not_before, ticket);
  }
  ++queued_;
}

std::optional<int> Planner::Admit(ModelQueue& queue, std::int64_t tokens, TimePoint now,
                                  std::optional<TimePoint>& wake_at,
                                  std::optional<TimePoint>* fits_at) {
  std::vector<router::Candidate> with_room;
  for (int d : queue.deployments) {
    Deployment& deployment = deployments_[d];
    if (!deployment.breaker.Allows(now)) {
      // Open: looked at again when its probe is due; half-open with the probe out: when it ends.
      std::optional<TimePoint> probe = deployment.breaker.ProbeAt();
      if (probe && *probe > now) Earliest(wake_at, *probe);
      continue;
    }
    ratelimit::DeploymentLimiter& limiter = deployment.limiter;
    if (!limiter.HasFreeSlot()) continue;  // woken by Finished, not by time
    TimePoint when = limiter.WhenAdmissible(tokens, now);
    if (when > now) {
      Earliest(wake_at, when);
      if (fits_at != nullptr) Earliest(*fits_at, when);
      continue;
    }
    with_room.push_back({.deployment = d,
                         .weight = deployment.routing.weight,
                         .priority = deployment.routing.priority,
                         .price = deployment.routing.price,
                         .in_flight = limiter.in_flight(),
                         .concurrency = limiter.concurrency_limit(),
                         .latency = deployment.latency.mean()});
  }
  for (std::size_t i : queue.router.Rank(with_room)) {
    Deployment& deployment = deployments_[with_room[i].deployment];
    if (deployment.limiter.TryAdmit(tokens, now)) {
      deployment.breaker.OnSend(now);
      return with_room[i].deployment;
    }
  }
  return std::nullopt;
}

bool Planner::Blocks(const Ticket* oldest, TimePoint now) const {
  if (oldest == nullptr) return false;
  if (oldest->passed_over >= options_.max_pass_over) return true;
  return oldest->overtaken_until != TimePoint{} && now >= oldest->overtaken_until;
}

int Planner::EffectivePriority(Lane& lane, TimePoint now) {
  int priority = static_cast<int>(lane.options.priority);
  if (lane.options.priority == Priority::kInteractive) return priority;
  if (!lane.waiting_since) lane.waiting_since = now;
  auto steps = static_cast<int>((now - *lane.waiting_since) / options_.aging);
  return std::max(static_cast<int>(Priority::kHigh), priority - steps);
}

std::vector<int> Planner::LaneOrder(const ModelQueue& queue, TimePoint now) {
  using Key = std::tuple<int, double, double, int>;
  std::vector<std::pair<Key, int>> keyed;
  keyed.reserve(queue.lanes.size());
  for (const auto& [number, tickets] : queue.lanes) {
    Lane& lane = lanes_[number];
    keyed.push_back({{EffectivePriority(lane, now), tenant_served_[lane.options.tenant],
                      lane.served_tokens, number},
                     number});
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<int> order;
  order.reserve(keyed.size());
  for (const auto& entry : keyed) order.push_back(entry.second);
  return order;
}

void Planner::Served(int number, const Ticket& ticket, TimePoint now) {
  Lane& lane = lanes_[number];
  const std::int64_t tokens = ticket.tokens;
  if (lane.spend_left) *lane.spend_left -= ticket.cost;
  lane.served_tokens += static_cast<double>(tokens);
  tenant_served_[lane.options.tenant] += static_cast<double>(tokens);
  lane.waiting_since = now;
  if (lane.quota != nullptr) lane.quota->Take(tokens, now);
  --lane.queued;
  --queued_;
}

std::optional<Dispatch> Planner::NextForModel(ModelQueue& queue, TimePoint now,
                                              std::optional<TimePoint>& wake_at) {
  // The first ticket that does not fit, in lane order then age order, is the oldest: others
  // may overtake it for half the time it needs to fit by itself, and at most max_pass_over
  // times. Within a
  // lane only the tickets before its second misfit may overtake: those would have gone before
  // the tickets after it anyway, so overtaking delays no one but the oldest, and delays do not
  // add up from one large request to the next.
  Ticket* oldest = nullptr;
  const Quota* quota = nullptr;  // of the lane being scanned
  Lane* scanned_lane = nullptr;
  int misfits = 0;               // tickets of the lane being scanned that did not fit
  auto consider = [&](Ticket& ticket) -> std::optional<int> {
    if (Blocks(oldest, now)) return std::nullopt;
    const std::optional<std::int64_t>& spend_left = scanned_lane->spend_left;
    if (spend_left && ticket.cost > *spend_left) {  // its budget, not the deployments, holds it
      scanned_lane->held_by_spend = true;
      return std::nullopt;
    }
    if (quota != nullptr) {  // the tenant's own limit holds it back, not the deployments
      TimePoint when = quota->When(ticket.tokens, now);
      if (when > now) {
        Earliest(wake_at, when);
        return std::nullopt;
      }
    }
    std::optional<TimePoint> fits_at;
    auto deployment = Admit(queue, ticket.tokens, now, wake_at, &fits_at);
    if (!deployment) ++misfits;
    if (!deployment && oldest == nullptr) {
      oldest = &ticket;
      if (ticket.overtaken_until == TimePoint{} && fits_at) {
        ticket.overtaken_until = now + (*fits_at - now) / 2;  // it goes at most 1.5 x later
      }
    }
    if (deployment && oldest != nullptr) ++oldest->passed_over;
    return deployment;
  };
  for (int lane : LaneOrder(queue, now)) {
    LaneQueue& tickets = queue.lanes.at(lane);
    scanned_lane = &lanes_[lane];
    quota = scanned_lane->quota;
    misfits = 0;
    std::optional<Dispatch> found;
    std::size_t scanned = 0;
    // Retries that are due, then fresh tickets.
    auto due_end = tickets.retries.upper_bound(now);
    for (auto it = tickets.retries.begin();
         !found && it != due_end && scanned < options_.scan_depth && misfits < 2; ++it, ++scanned) {
      if (auto d = consider(it->second)) {
        found = Dispatch{it->second, *d};
        tickets.retries.erase(it);
        break;
      }
    }
    if (!found && due_end != tickets.retries.end()) Earliest(wake_at, due_end->first);
    for (auto it = tickets.fresh.begin();
         !found && it != tickets.fresh.end() && scanned < options_.scan_depth && misfits < 2;
         ++it, ++scanned) {
      if (auto d = consider(*it)) {
        found = Dispatch{*it, *d};
        tickets.fresh.erase(it);
        break;
      }
    }
    if (found) {
      if (tickets.empty()) queue.lanes.erase(lane);
      Served(lane, found->ticket, now);
      return found;
    }
    if (Blocks(oldest, now)) break;
  }
  return std::nullopt;
}

Decision Planner::Next(TimePoint now) {
  Decision decision;
  for (auto& [number, lane] : lanes_) lane.held_by_spend = false;
  for (auto& [model, queue] : models_) {
    if (auto dispatch = NextForModel(queue, now, decision.wake_at)) {
      decision.dispatch = *dispatch;
      decision.wake_at.reset();
      return decision;
    }
  }
  return decision;
}

}  // namespace sluice::scheduler
