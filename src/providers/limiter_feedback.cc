#include "providers/limiter_feedback.h"

namespace sluice::providers {

ratelimit::Feedback LimiterFeedback(const Outcome& outcome) {
  ratelimit::Feedback feedback;
  feedback.status_code = outcome.status_code;
  feedback.timed_out =
      outcome.status_code == 0 && outcome.status.code() == StatusCode::kDeadlineExceeded;
  feedback.budgets = outcome.hints.budgets;
  feedback.exceeded = outcome.hints.exceeded;
  feedback.retry_after = outcome.retry_after ? outcome.retry_after : outcome.hints.retry_after;
  feedback.has_usage = outcome.verdict == Verdict::kSuccess;
  feedback.input_tokens = outcome.usage.prompt_tokens - outcome.usage.cached_tokens;
  feedback.output_tokens = outcome.usage.completion_tokens;
  return feedback;
}

}  // namespace sluice::providers
