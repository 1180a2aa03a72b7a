#include "mock/go_duration.h"

#include <fmt/format.h>

namespace sluice::mock {

std::int64_t CeilMilliseconds(Duration d) {
  if (d <= Duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d);
  return ms.count();
}

std::string FormatGoDuration(Duration d) {
  std::int64_t ms = CeilMilliseconds(d);
  if (ms == 0) return "0s";
  if (ms < 1000) return fmt::format("{}ms", ms);
  std::string out;
  std::int64_t hours = ms / 3'600'000;
  std::int64_t minutes = ms / 60'000 % 60;
  std::int64_t seconds = ms / 1000 % 60;
  std::int64_t millis = ms % 1000;
  if (hours > 0) out += fmt::format("{}h", hours);
  if (hours > 0 || minutes > 0) out += fmt::format("{}m", minutes);
  out += fmt::format("{}", seconds);
  if (millis > 0) {
    std::string frac = fmt::format("{:03}", millis);
    while (frac.back() == '0') frac.pop_back();
    out += '.';
    out += frac;
  }
  out += 's';
  return out;
}

}  // namespace sluice::mock
