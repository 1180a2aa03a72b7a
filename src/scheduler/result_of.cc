#include "scheduler/result_of.h"

#include <cmath>

#include "batch/failure_code.h"

namespace sluice::scheduler {

std::optional<std::int64_t> CostOf(const batch::Usage& usage,
                                   const std::optional<cost::Prices>& prices) {
  if (usage.prompt_tokens == 0 && usage.completion_tokens == 0) return 0;
  if (!prices) return std::nullopt;
  double dollars =
      cost::UsageCost(*prices, usage.prompt_tokens, usage.cached_tokens, usage.completion_tokens);
  return std::llround(dollars * 1e9);
}

batch::ResultRecord DuplicateResult(const batch::ResultRecord& sent,
                                    const batch::Duplicate& duplicate) {
  batch::ResultRecord copy = sent;
  copy.index = duplicate.index;
  copy.custom_id = duplicate.custom_id;
  copy.duplicate_of = sent.index;
  copy.saved_nanousd = sent.cost_nanousd.value_or(0);
  copy.cost_nanousd = 0;
  return copy;
}

batch::ResultRecord ResultOf(const batch::LeasedItem& leased, const providers::Outcome& outcome,
                             const std::optional<cost::Prices>& prices) {
  batch::ResultRecord result;
  result.index = leased.item.index;
  result.custom_id = leased.item.custom_id;
  result.success = outcome.verdict == providers::Verdict::kSuccess;
  result.status_code = outcome.status_code;
  result.request_id = outcome.request_id;
  result.body = outcome.body;
  result.usage = outcome.usage;
  if (outcome.status_code == 0) {
    result.error_code = outcome.status.code() == StatusCode::kDeadlineExceeded
                            ? "upstream_timeout"
                            : "upstream_unavailable";
    result.error_message = outcome.status.ToString();
  } else if (providers::RejectsCredentials(outcome.status_code)) {
    // The provider refused sluice's key: not the batch owner's fault, so not their answer.
    result.error_code = "upstream_credentials_rejected";
    result.error_message = outcome.status.message();
  }
  if (!result.success) result.failure_code = batch::FailureCodeOf(result);
  result.cost_nanousd = CostOf(result.usage, prices);
  return result;
}

}  // namespace sluice::scheduler
