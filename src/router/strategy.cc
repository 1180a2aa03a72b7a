#include "router/strategy.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace sluice::router {

std::string_view StrategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::kExpectedFinish:
      return "expected-finish";
    case Strategy::kWeighted:
      return "weighted";
    case Strategy::kCheapest:
      return "cheapest";
    case Strategy::kOrdered:
      return "ordered";
  }
  return "expected-finish";
}

std::optional<Strategy> ParseStrategy(std::string_view name) {
  for (Strategy s : {Strategy::kExpectedFinish, Strategy::kWeighted, Strategy::kCheapest,
                     Strategy::kOrdered}) {
    if (name == StrategyName(s)) return s;
  }
  return std::nullopt;
}

std::string_view AllowedStrategies() { return "expected-finish, weighted, cheapest, ordered"; }

Duration ExpectedFinish(const Candidate& c) {
  if (!c.latency) return Duration::zero();
  double load = 1.0 + static_cast<double>(c.in_flight) / std::max(1, c.concurrency);
  return std::chrono::duration_cast<Duration>(c.latency->count() * load * Duration(1));
}

std::vector<std::size_t> Router::Rank(std::span<const Candidate> with_room) {
  std::vector<std::size_t> order(with_room.size());
  std::iota(order.begin(), order.end(), 0);
  auto finish = [&](std::size_t i) { return ExpectedFinish(with_room[i]); };
  switch (strategy_) {
    case Strategy::kExpectedFinish:
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return finish(a) < finish(b); });
      break;
    case Strategy::kCheapest:
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tuple(with_room[a].price, finish(a)) < std::tuple(with_room[b].price, finish(b));
      });
      break;
    case Strategy::kOrdered:
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tuple(with_room[a].priority, finish(a)) <
               std::tuple(with_room[b].priority, finish(b));
      });
      break;
    case Strategy::kWeighted: {
      // Smooth weighted round-robin (as nginx's): every candidate gains its weight, the one with
      // the most goes and gives back the sum. Deployments without room neither gain nor lose.
      std::int64_t total = 0;
      for (const Candidate& c : with_room) {
        auto d = static_cast<std::size_t>(c.deployment);
        if (current_.size() <= d) current_.resize(d + 1, 0);
        current_[d] += std::max(1, c.weight);
        total += std::max(1, c.weight);
      }
      auto counter = [&](std::size_t i) {
        return current_[static_cast<std::size_t>(with_room[i].deployment)];
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return counter(a) > counter(b); });
      if (!order.empty()) current_[static_cast<std::size_t>(with_room[order[0]].deployment)] -= total;
      break;
    }
  }
  return order;
}

}  // namespace sluice::router
