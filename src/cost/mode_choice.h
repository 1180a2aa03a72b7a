// How long a batch needs in real time at its deployments' limits, and the `auto` decision: run a
// batch in real time or through the provider's batch API (half price, up to its turnaround), and
// when a late provider batch must move its unfinished lines to real time to meet its deadline.
// Every function here is a pure function of its arguments (no clock is read); thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace sluice::cost {

enum class Mode { kRealtime, kProvider };
std::string_view ModeName(Mode mode);  // "realtime", "provider"

// What a batch (or what is left of it) asks for.
struct Workload {
  std::int64_t requests = 0;
  std::int64_t tokens = 0;        // prompt estimates + output caps (OpenAI's tpm accounting)
  std::int64_t input_tokens = 0;  // prompt estimates only (Anthropic's itpm accounting)
};

// Real-time capacity per minute: the deployments' limits, or what their limiters report free.
// 0: that budget is not metered (or not known), and does not bound the time.
struct Throughput {
  double requests_per_minute = 0;
  double tokens_per_minute = 0;
  double input_tokens_per_minute = 0;
};

// The least time `work` takes at `throughput`: each budget holds a minute's worth to start with
// and refills continuously, so a budget of L per minute needs (amount − L) / (L / 60 s); the
// slowest budget decides. Zero when it fits in the first minute's budgets or nothing is metered.
Duration RealtimeDuration(const Workload& work, const Throughput& throughput);

struct ModeChoiceOptions {
  // Real time is chosen when it finishes within this share of the time left ("well inside").
  double well_inside = 0.25;
  // The window the provider's batch API promises to finish in (OpenAI and Anthropic: 24 h); a
  // batch with less time left than this cannot count on it.
  Duration provider_window = std::chrono::hours(24);
};

struct ModeChoiceInput {
  // What real time needs for the batch: RealtimeDuration of its workload at the headroom its
  // deployments have now (the slowest model's, for a batch of several models).
  Duration realtime_duration{};
  Duration time_left{};  // until the batch's deadline (the end of its completion window)
  // Dollars in each mode (list price; the provider's batch price); unset: price unknown.
  std::optional<double> realtime_cost;
  std::optional<double> provider_cost;
  bool provider_available = true;  // the model's provider has a batch API sluice can use
};

struct ModeChoice {
  Mode mode = Mode::kRealtime;
  std::vector<std::string> reasons;  // for the Batch object and the log, most decisive first
};

// Real time if the provider's batch API is unavailable, if the time left is shorter than the
// provider's window, if it saves nothing, or if real time finishes well inside the time left;
// otherwise the provider's batch API.
ModeChoice ChooseMode(const ModeChoiceInput& input, const ModeChoiceOptions& options = {});

struct LateMoveOptions {
  // Real time is given this much more than it needs (×(1 + slack) + margin), so that retries and
  // a late-learned limit do not make it miss.
  double slack = 0.2;
  Duration margin = std::chrono::minutes(5);
};

struct LateMove {
  bool move = false;      // move the unfinished lines to real time now
  TimePoint latest{};     // the last moment to move them and still meet the deadline
  std::string reason;
};

// Whether a provider batch with `remaining` unfinished lines must move them to real time at
// `now` to finish by `deadline` at `throughput`: yes once now ≥ deadline − (RealtimeDuration ×
// (1 + slack) + margin). `latest` says when, so a runner can wake then.
LateMove ShouldMoveToRealtime(TimePoint now, TimePoint deadline, const Workload& remaining,
                              const Throughput& throughput, const LateMoveOptions& options = {});

// "14s", "2m05s", "1h02m": a duration for people (rounded to the second).
std::string DescribeDuration(Duration duration);

}  // namespace sluice::cost
