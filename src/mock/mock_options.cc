#include "mock/mock_options.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace sluice::mock {
namespace {

void CheckFraction(std::vector<std::string>& problems, std::string_view name, double value) {
  if (!(value >= 0 && value <= 1)) {
    problems.push_back(fmt::format("{} must be within 0..1 (got {})", name, value));
  }
}

void CheckNonNegative(std::vector<std::string>& problems, std::string_view name,
                      std::int64_t value) {
  if (value < 0) problems.push_back(fmt::format("{} must be >= 0 (got {})", name, value));
}

void CheckFaults(std::vector<std::string>& problems, const FaultRates& f) {
  CheckFraction(problems, "faults.http_500", f.http_500);
  CheckFraction(problems, "faults.http_503", f.http_503);
  CheckFraction(problems, "faults.reset", f.reset);
  CheckFraction(problems, "faults.hang", f.hang);
  CheckFraction(problems, "faults.malformed", f.malformed);
  double sum = f.http_500 + f.http_503 + f.reset + f.hang + f.malformed;
  if (sum > 1 + 1e-9) {
    problems.push_back(fmt::format("fault rates must add up to at most 1 (got {})", sum));
  }
}

void CheckBatches(std::vector<std::string>& problems, const BatchFaultOptions& b) {
  if (b.turnaround < Duration::zero())
    problems.push_back("batches.turnaround must not be negative");
  if (b.window <= Duration::zero()) problems.push_back("batches.window must be positive");
  CheckNonNegative(problems, "batches.polls", b.polls);
  CheckFraction(problems, "batches.expire", b.expire);
  CheckFraction(problems, "batches.fail_validation", b.fail_validation);
  CheckFraction(problems, "batches.malformed_output", b.malformed_output);
  CheckFraction(problems, "batches.never_finish", b.never_finish);
  CheckFraction(problems, "batches.vanish", b.vanish);
}

}  // namespace

Status ValidateMockOptions(const MockOptions& o) {
  std::vector<std::string> problems;
  if (o.host.empty()) problems.push_back("host must not be empty");
  CheckNonNegative(problems, "rpm", o.rpm);
  CheckNonNegative(problems, "tpm", o.tpm);
  CheckNonNegative(problems, "itpm", o.itpm);
  CheckNonNegative(problems, "otpm", o.otpm);
  if (o.prompt_cache_ttl <= Duration::zero()) problems.push_back("prompt_cache_ttl must be > 0");
  if (o.prompt_cache_blocks < 0) problems.push_back("prompt_cache_blocks must be >= 0");
  if (o.time_to_first_byte < Duration::zero()) {
    problems.push_back("time_to_first_byte must not be negative");
  }
  if (o.time_per_output_token < Duration::zero()) {
    problems.push_back("time_per_output_token must not be negative");
  }
  CheckFraction(problems, "latency_jitter", o.latency_jitter);
  CheckFaults(problems, o.faults);
  if (o.required_api_key && o.required_api_key->empty()) {
    problems.push_back("required_api_key must not be empty when set");
  }
  if (o.default_max_tokens < 1) {
    problems.push_back(
        fmt::format("default_max_tokens must be >= 1 (got {})", o.default_max_tokens));
  }
  if (o.embedding_dimensions < 1 || o.embedding_dimensions > 8192) {
    problems.push_back(fmt::format("embedding_dimensions must be within 1..8192 (got {})",
                                   o.embedding_dimensions));
  }
  CheckBatches(problems, o.batches);
  if (problems.empty()) return OkStatus();
  return InvalidArgumentError(fmt::format("invalid mock options: {}", fmt::join(problems, "; ")));
}

}  // namespace sluice::mock
