#include "common/go_duration.h"

#include <string>

namespace sluice {

std::int64_t CeilMilliseconds(Duration d) {
  if (d <= Duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d);
  return ms.count();
}

std::string FormatGoDuration(Duration d) {
  std::int64_t ms = CeilMilliseconds(d);
  if (ms == 0) return "0s";
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  std::int64_t hours = ms / 3'600'000;
  std::int64_t minutes = ms / 60'000 % 60;
  std::int64_t seconds = ms / 1000 % 60;
  std::int64_t millis = ms % 1000;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += std::to_string(seconds);
  if (millis > 0) {
    std::string frac = std::to_string(1000 + millis).substr(1);  // zero-padded to 3
    while (frac.back() == '0') frac.pop_back();
    out += '.';
    out += frac;
  }
  out += 's';
  return out;
}

}  // namespace sluice
