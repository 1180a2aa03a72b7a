// Spending caps: Budget, one cap (a batch's max cost) and what counts against it — what was spent
// and what the requests in flight may still cost (reserved at admission, released when their
// answer is priced); KeyBudget, a gateway key's caps per UTC calendar day and month. Amounts are
// billionths of a US dollar (integers, so sums are exact).
// Guarantee: a request is admitted only if its reservation fits under every cap that applies, so
// while each answer costs at most its reservation (ReservationOf is an upper bound of the
// request's price, exact prompt counts assumed), spending never passes the cap.
// Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "cost/prices.h"

namespace sluice::cost {

// What a request of `tokens` (prompt estimate + output caps) may cost at most at `prices`: every
// token at the higher of the input and output rates, rounded up; 0 when the price is unknown.
std::int64_t ReservationOf(const std::optional<Prices>& prices, std::int64_t tokens);

// "$1.25" for 1'250'000'000, "$0.000182" for 182'000 (to the millionth of a dollar).
std::string FormatUsd(std::int64_t nanousd);

// Parses a cap given in dollars ("5", "0.25"): kInvalidArgument, naming what is wrong, for text
// that is not a finite number, or is negative.
Result<std::int64_t> ParseUsd(std::string_view text);

class Budget {
 public:
  explicit Budget(std::optional<std::int64_t> cap = std::nullopt) : cap_(cap) {}

  const std::optional<std::int64_t>& cap() const { return cap_; }
  void SetCap(std::optional<std::int64_t> cap) { cap_ = cap; }
  std::int64_t spent() const { return spent_; }
  std::int64_t reserved() const { return reserved_; }

  // What may still be reserved (cap − spent − reserved, never below 0); nullopt without a cap.
  std::optional<std::int64_t> Left() const;
  void Reserve(std::int64_t amount) { reserved_ += amount; }
  void Release(std::int64_t amount) { reserved_ -= amount; }
  void Spend(std::int64_t amount) { spent_ += amount; }

 private:
  std::optional<std::int64_t> cap_;
  std::int64_t spent_ = 0;
  std::int64_t reserved_ = 0;
};

// A batch's spending against its cap, as the Batch object shows it.
struct BudgetState {
  std::optional<std::int64_t> cap;  // nanodollars; unset: no cap of its own
  std::int64_t spent = 0;           // its results' cost, earlier runs included
  std::int64_t reserved = 0;        // what its requests in flight may still cost
  // Why sending is paused (its cap, or its key's, leaves no room for its next request and
  // nothing of it is in flight); unset while it is not.
  std::optional<std::string> paused;
};

struct KeyLimits {
  std::optional<std::int64_t> per_day = std::nullopt;    // nanodollars per UTC day; unset: none
  std::optional<std::int64_t> per_month = std::nullopt;  // nanodollars per UTC calendar month
  bool operator==(const KeyLimits&) const = default;
};

class KeyBudget {
 public:
  explicit KeyBudget(KeyLimits limits = {}) : limits_(limits) {}

  const KeyLimits& limits() const { return limits_; }
  void SetLimits(KeyLimits limits) { limits_ = limits; }

  // What may still be reserved in the day and month of `now` (each starts at zero); nullopt
  // without a cap.
  std::optional<std::int64_t> Left(WallTime now) const;
  // Why nothing more may be spent at `now` ("its daily budget of $5.00 is spent ($5.0012 on
  // 2026-12-07 UTC); it resets at 2026-12-08 00:00 UTC"); nullopt while something is left.
  std::optional<std::string> Exhausted(WallTime now) const;
  // When the first exhausted period at `now` ends (the next UTC midnight or month).
  WallTime NextReset(WallTime now) const;

  void Reserve(std::int64_t amount) { reserved_ += amount; }
  void Release(std::int64_t amount) { reserved_ -= amount; }
  // Counts `amount` in the day and month of `now`.
  void Spend(std::int64_t amount, WallTime now);
  std::int64_t SpentToday(WallTime now) const;
  std::int64_t SpentThisMonth(WallTime now) const;

 private:
  KeyLimits limits_;
  std::int64_t day_ = -1;    // days since 1970-01-01 of day_spent_
  std::int64_t month_ = -1;  // months since 1970-01 of month_spent_
  std::int64_t day_spent_ = 0;
  std::int64_t month_spent_ = 0;
  std::int64_t reserved_ = 0;
};

}  // namespace sluice::cost
