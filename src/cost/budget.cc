#include "cost/budget.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

namespace sluice::cost {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

std::int64_t DayOf(WallTime t) {
  return std::chrono::floor<days>(t).time_since_epoch().count();
}

std::int64_t MonthOf(WallTime t) {
  year_month_day date{std::chrono::floor<days>(t)};
  return (static_cast<int>(date.year()) - 1970) * 12 +
         static_cast<std::int64_t>(static_cast<unsigned>(date.month())) - 1;
}

WallTime StartOfMonth(std::int64_t month) {
  auto year = std::chrono::year(static_cast<int>(1970 + month / 12));
  auto number = std::chrono::month(static_cast<unsigned>(month % 12 + 1));
  return sys_days(year / number / 1);
}

std::string UtcDate(WallTime t, bool with_time) {
  year_month_day date{std::chrono::floor<days>(t)};
  std::string text = fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                                 static_cast<unsigned>(date.month()),
                                 static_cast<unsigned>(date.day()));
  return with_time ? text + " 00:00 UTC" : text + " UTC";
}

}  // namespace

std::int64_t ReservationOf(const std::optional<Prices>& prices, std::int64_t tokens) {
  if (!prices || tokens <= 0) return 0;
  double rate = std::max(prices->input, prices->output);  // dollars per million tokens
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(tokens) * rate * 1e3));
}

std::string FormatUsd(std::int64_t nanousd) {
  std::string text = fmt::format("${:.6f}", static_cast<double>(nanousd) / 1e9);
  while (text.back() == '0' && text[text.size() - 3] != '.') text.pop_back();
  return text;
}

Result<std::int64_t> ParseUsd(std::string_view text) {
  std::string value(text);
  char* end = nullptr;
  double dollars = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(dollars) ||
      value.find_first_not_of("0123456789.-+eE") != std::string::npos) {
    return InvalidArgumentError("'" + value + "' is not a number of US dollars (such as 5 or 0.25)");
  }
  if (dollars < 0) return InvalidArgumentError("'" + value + "' is negative: a cap is 0 or more");
  if (dollars > 1e9) return InvalidArgumentError("'" + value + "' is more than $1,000,000,000");
  return std::llround(dollars * 1e9);
}

std::optional<std::int64_t> Budget::Left() const {
  if (!cap_) return std::nullopt;
  return std::max<std::int64_t>(0, *cap_ - spent_ - reserved_);
}

std::optional<std::int64_t> KeyBudget::Left(WallTime now) const {
  std::optional<std::int64_t> left;
  auto lower = [&](const std::optional<std::int64_t>& cap, std::int64_t spent) {
    if (!cap) return;
    std::int64_t here = std::max<std::int64_t>(0, *cap - spent - reserved_);
    left = left ? std::min(*left, here) : here;
  };
  lower(limits_.per_day, SpentToday(now));
  lower(limits_.per_month, SpentThisMonth(now));
  return left;
}

std::optional<std::string> KeyBudget::Exhausted(WallTime now) const {
  if (limits_.per_day && SpentToday(now) >= *limits_.per_day) {
    return fmt::format("its daily budget of {} is spent ({} on {}); it resets at {}",
                       FormatUsd(*limits_.per_day), FormatUsd(SpentToday(now)),
                       UtcDate(now, false), UtcDate(sys_days(days(DayOf(now) + 1)), true));
  }
  if (limits_.per_month && SpentThisMonth(now) >= *limits_.per_month) {
    return fmt::format("its monthly budget of {} is spent ({} this month); it resets at {}",
                       FormatUsd(*limits_.per_month), FormatUsd(SpentThisMonth(now)),
                       UtcDate(StartOfMonth(MonthOf(now) + 1), true));
  }
  return std::nullopt;
}

WallTime KeyBudget::NextReset(WallTime now) const {
  WallTime tomorrow = sys_days(days(DayOf(now) + 1));
  if (limits_.per_day && SpentToday(now) + reserved_ >= *limits_.per_day) return tomorrow;
  if (limits_.per_month) return StartOfMonth(MonthOf(now) + 1);
  return tomorrow;
}

void KeyBudget::Spend(std::int64_t amount, WallTime now) {
  std::int64_t day = DayOf(now);
  std::int64_t month = MonthOf(now);
  if (day != day_) {  // a new UTC day starts at zero
    day_ = day;
    day_spent_ = 0;
  }
  if (month != month_) {
    month_ = month;
    month_spent_ = 0;
  }
  day_spent_ += amount;
  month_spent_ += amount;
}

std::int64_t KeyBudget::SpentToday(WallTime now) const {
  return DayOf(now) == day_ ? day_spent_ : 0;
}

std::int64_t KeyBudget::SpentThisMonth(WallTime now) const {
  return MonthOf(now) == month_ ? month_spent_ : 0;
}

}  // namespace sluice::cost
