#include "cost/mode_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sluice::cost {
namespace {

// Seconds a budget of `per_minute` needs for `amount`, its first minute's worth already there.
double SecondsAt(double amount, double per_minute) {
  if (per_minute <= 0 || amount <= per_minute) return 0;
  return (amount - per_minute) / (per_minute / 60.0);
}

std::string Dollars(double dollars) { return fmt::format("${:.4f}", dollars); }

}  // namespace

std::string_view ModeName(Mode mode) {
  return mode == Mode::kProvider ? "provider" : "realtime";
}

Duration RealtimeDuration(const Workload& work, const Throughput& throughput) {
  double seconds = std::max(
      {SecondsAt(static_cast<double>(work.requests), throughput.requests_per_minute),
       SecondsAt(static_cast<double>(work.tokens), throughput.tokens_per_minute),
       SecondsAt(static_cast<double>(work.input_tokens), throughput.input_tokens_per_minute)});
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

ModeChoice ChooseMode(const ModeChoiceInput& input, const ModeChoiceOptions& options) {
  ModeChoice choice;
  const std::string realtime_needs = fmt::format(
      "real time needs about {} at the current limits", DescribeDuration(input.realtime_duration));
  auto realtime = [&](std::string reason) {
    choice.mode = Mode::kRealtime;
    choice.reasons = {std::move(reason), realtime_needs};
    return choice;
  };
  if (!input.provider_available) return realtime("the provider has no batch API sluice can use");
  if (input.time_left < options.provider_window) {
    return realtime(fmt::format("{} left is shorter than the provider's batch window of {}",
                                DescribeDuration(input.time_left),
                                DescribeDuration(options.provider_window)));
  }
  std::optional<double> saving;
  if (input.realtime_cost && input.provider_cost) {
    saving = *input.realtime_cost - *input.provider_cost;
    if (*saving <= 0) return realtime("the provider's batch API would not cost less");
  }
  auto well_inside = std::chrono::duration_cast<Duration>(input.time_left * options.well_inside);
  if (input.realtime_duration <= well_inside) {
    return realtime(fmt::format("real time finishes well inside the {} left (within {:.0f}%)",
                                DescribeDuration(input.time_left), options.well_inside * 100));
  }
  choice.mode = Mode::kProvider;
  choice.reasons.push_back(
      fmt::format("{}, more than {:.0f}% of the {} left", realtime_needs,
                  options.well_inside * 100, DescribeDuration(input.time_left)));
  choice.reasons.push_back(
      saving ? fmt::format("the provider's batch API saves {} ({} instead of {})",
                           Dollars(*saving), Dollars(*input.provider_cost),
                           Dollars(*input.realtime_cost))
             : std::string("the provider's batch API is billed at its batch discount"));
  return choice;
}

LateMove ShouldMoveToRealtime(TimePoint now, TimePoint deadline, const Workload& remaining,
                              const Throughput& throughput, const LateMoveOptions& options) {
  Duration needs = RealtimeDuration(remaining, throughput);
  auto allowed =
      std::chrono::duration_cast<Duration>(needs * (1 + options.slack)) + options.margin;
  LateMove late;
  late.latest = deadline - allowed;
  late.move = now >= late.latest;
  late.reason = fmt::format(
      "{} unfinished lines need about {} in real time; {} left before the deadline",
      remaining.requests, DescribeDuration(needs),
      DescribeDuration(std::max<Duration>(deadline - now, Duration::zero())));
  return late;
}

std::string DescribeDuration(Duration duration) {
  auto s = static_cast<long long>(
      std::llround(std::chrono::duration<double>(std::max<Duration>(duration, {})).count()));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace sluice::cost
