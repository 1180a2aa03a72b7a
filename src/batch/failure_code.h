// FailureCodeOf: the code a failed batch result is counted under (the Batch object's errors by
// code, the dashboard): its own error_code when it never got a response (upstream_timeout,
// batch_expired, ...), else the code the response's error object names, else its type, else
// "http_<status>". Pure; thread-safe.
#pragma once

#include <string>

#include "batch/records.h"

namespace sluice::batch {

std::string FailureCodeOf(const ResultRecord& result);

}  // namespace sluice::batch
