// Result<T>: a value or an error Status, shaped like std::expected (absent from g++ 12's C++20).
// A default-constructed Result is an error, so `return {};` cannot pass for success.
#pragma once

#include <cassert>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/status.h"

namespace sluice {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "Result<Status> makes no sense");

 public:
  Result() : state_(Status(StatusCode::kUnknown, "uninitialized Result")) {}
  // An error. Passing an OK status is a bug; it is turned into kInternal.
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(state_).ok()) state_ = Status(StatusCode::kInternal, "OK status as error");
  }
  template <typename U = T, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                                        !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : state_(std::in_place_index<1>, std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return state_.index() == 1; }
  explicit operator bool() const { return ok(); }

  // The error, or OK when this holds a value.
  Status status() const { return ok() ? Status() : std::get<0>(state_); }

  // Accessing the value of an error is a bug and aborts.
  T& value() & { return CheckedValue(); }
  const T& value() const& { return const_cast<Result*>(this)->CheckedValue(); }
  T&& value() && { return std::move(CheckedValue()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<1>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  T& CheckedValue() {
    if (!ok()) std::abort();
    return std::get<1>(state_);
  }

  std::variant<Status, T> state_;
};

// The Status of a call that returns either a Status or a Result (for code generic over both).
inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}

}  // namespace sluice

#define SLUICE_STATUS_CONCAT_INNER_(a, b) a##b
#define SLUICE_STATUS_CONCAT_(a, b) SLUICE_STATUS_CONCAT_INNER_(a, b)

// Returns (or co_returns) the Status of `expr` when it is not OK.
#define SLUICE_RETURN_IF_ERROR(expr)                                                           \
  do {                                                                                         \
    if (::sluice::Status sluice_status_ = (expr); !sluice_status_.ok()) return sluice_status_; \
  } while (0)
#define SLUICE_CO_RETURN_IF_ERROR(expr)                                                           \
  do {                                                                                            \
    if (::sluice::Status sluice_status_ = (expr); !sluice_status_.ok()) co_return sluice_status_; \
  } while (0)

// `SLUICE_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result's value, or returns its
// error.
#define SLUICE_ASSIGN_OR_RETURN(lhs, expr) \
  SLUICE_ASSIGN_OR_RETURN_IMPL_(SLUICE_STATUS_CONCAT_(sluice_result_, __LINE__), lhs, expr, return )
#define SLUICE_CO_ASSIGN_OR_RETURN(lhs, expr)                                               \
  SLUICE_ASSIGN_OR_RETURN_IMPL_(SLUICE_STATUS_CONCAT_(sluice_result_, __LINE__), lhs, expr, \
                                co_return )
#define SLUICE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr, ret) \
  auto tmp = (expr);                                       \
  if (!tmp.ok()) ret tmp.status();                         \
  lhs = std::move(tmp).value()
