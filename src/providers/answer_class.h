// AnswerClass: what one attempt's outcome says about the deployment that answered it, in the
// classes /metrics counts and the circuit breaker reads: ok, rate_limited (429), overloaded (503,
// 529), server_error (other 5xx), invalid_response (a 2xx whose body could not be read), timeout,
// connection (refused, reset, no answer), client_error (other 4xx), cancelled (the caller gave
// up). Pure; thread-safe.
#pragma once

#include <string_view>

#include "providers/provider.h"

namespace sluice::providers {

enum class AnswerClass {
  kOk,
  kRateLimited,
  kOverloaded,
  kServerError,
  kInvalidResponse,
  kTimeout,
  kConnection,
  kClientError,
  kCancelled,
};

AnswerClass ClassOf(const Outcome& outcome);

// "ok", "rate_limited", "overloaded", "server_error", "invalid_response", "timeout", "connection",
// "client_error", "cancelled".
std::string_view AnswerClassName(AnswerClass answer);

// True for the classes that mean the deployment itself is failing (what opens a breaker):
// overloaded, server_error, timeout and connection. A 429, a 4xx or an unreadable 2xx is an
// answer from a deployment that is up (the item's retries deal with a body that is never JSON;
// a breaker would hold every item back instead).
bool IsDeploymentFailure(AnswerClass answer);

}  // namespace sluice::providers
