// Strategy: how a model's router chooses among the deployments that have room for a request now.
// Only deployments with room are offered, so every strategy keeps each deployment busy up to its
// limits (combined throughput is the sum of theirs); the strategy decides who goes first.
//   expected-finish (default): the one expected to answer soonest — its latency EWMA stretched
//     by how full its concurrency window is; a deployment not yet measured goes first.
//   weighted: shares by `weight` (smooth weighted round-robin among those with room).
//   cheapest: the lowest configured price per token (input + output rate); ties by expected
//     finish.
//   ordered: the lowest `priority` tier with room; within a tier by expected finish. A later tier
//     gets a request only while every earlier one has no room.
// Pure; thread-compatible (a Router's weighted counters are its only state).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace sluice::router {

enum class Strategy { kExpectedFinish, kWeighted, kCheapest, kOrdered };

// "expected-finish", "weighted", "cheapest", "ordered".
std::string_view StrategyName(Strategy strategy);
std::optional<Strategy> ParseStrategy(std::string_view name);
// "expected-finish, weighted, cheapest, ordered": for error messages.
std::string_view AllowedStrategies();

// One deployment's standing, as configured and as measured now.
struct Candidate {
  int deployment = 0;       // the caller's number for it
  int weight = 1;           // weighted: its share (>= 1)
  int priority = 0;         // ordered: its tier, lower first
  double price = 0;         // cheapest: dollars per million tokens (input + output rate)
  int in_flight = 0;        // requests out now
  int concurrency = 1;      // its concurrency window now (>= 1)
  std::optional<Duration> latency;  // the EWMA of its answer times; unset until measured
};

// The expected time to an answer on `c`: latency × (1 + in_flight / concurrency); zero when not
// yet measured (so a new deployment is tried).
Duration ExpectedFinish(const Candidate& c);

class Router {
 public:
  explicit Router(Strategy strategy = Strategy::kExpectedFinish) : strategy_(strategy) {}

  // The order to try `with_room` in (their indices into it), best first. For weighted the first
  // is the pick of the round (the counters move as if it was sent; the rest follow by weight).
  std::vector<std::size_t> Rank(std::span<const Candidate> with_room);

  Strategy strategy() const { return strategy_; }

 private:
  Strategy strategy_;
  std::vector<std::int64_t> current_;  // weighted: the round-robin counter by deployment number
};

}  // namespace sluice::router
