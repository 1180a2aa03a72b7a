// AnswerClass: what one attempt's outcome says about the deployment that answered it, in the
// classes /metrics counts and the circuit breaker reads: ok, rate_limited (429), overloaded (503,
// 529), server_error (other 5xx, or a 2xx that could not be read), timeout, connection (refused,
// reset, no answer), client_error (other 4xx), cancelled (the caller gave up). Pure; thread-safe.
#pragma once

#include <string_view>

#include "providers/provider.h"

namespace sluice::providers {

enum class AnswerClass {
  kOk,
  kRateLimited,
  kOverloaded,
  kServerError,
  kTimeout,
  kConnection,
  kClientError,
  kCancelled,
};

AnswerClass ClassOf(const Outcome& outcome);

// "ok", "rate_limited", "overloaded", "server_error", "timeout", "connection", "client_error",
// "cancelled".
std::string_view AnswerClassName(AnswerClass answer);

// True for the classes that mean the deployment itself is failing (what opens a breaker):
// overloaded, server_error, timeout and connection. A 429 or a 4xx is an answer from a working
// deployment.
bool IsDeploymentFailure(AnswerClass answer);

}  // namespace sluice::providers
