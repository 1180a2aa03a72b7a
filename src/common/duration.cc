#include "common/duration.h"

#include <cmath>
#include <string>

namespace sluice {
namespace {

// Nanoseconds per unit, longest unit names first so "ms" is not read as "m".
struct Unit {
  std::string_view name;
  double nanos;
};
constexpr Unit kUnits[] = {{"ns", 1},     {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"ms", 1e6},
                           {"h", 3600e9}, {"m", 60e9}, {"s", 1e9}};

Status Invalid(std::string_view text, std::string_view why) {
  return InvalidArgumentError("invalid duration \"" + std::string(text) +
                              "\": " + std::string(why) + " (examples: 300ms, 1.5s, 6m0s)");
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text == "0") return Duration::zero();
  if (text.empty()) return Invalid(text, "empty");
  double total_nanos = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t digits = 0;
    while (digits < rest.size() &&
           (std::isdigit(static_cast<unsigned char>(rest[digits])) || rest[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) return Invalid(text, "expected a number");
    if (digits > 24) return Invalid(text, "too long");
    std::string number(rest.substr(0, digits));
    if (number == "." || number.find('.') != number.rfind('.')) {
      return Invalid(text, "bad number");
    }
    double value = std::stod(number);
    rest.remove_prefix(digits);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (rest.substr(0, u.name.size()) == u.name) {
        // "m" must not swallow the "m" of "ms": kUnits lists "ms" first.
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return Invalid(text, "missing or unknown unit");
    rest.remove_prefix(unit->name.size());
    total_nanos += value * unit->nanos;
  }
  if (!std::isfinite(total_nanos) || total_nanos > 9.0e18) return Invalid(text, "too long");
  return std::chrono::duration_cast<Duration>(
      std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(total_nanos))));
}

}  // namespace sluice
