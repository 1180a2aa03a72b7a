#include "providers/provider.h"

namespace sluice::providers {

Outcome RefusedOutcome(const Refusal& refusal) {
  Outcome outcome;
  outcome.verdict = Verdict::kFail;
  outcome.status = InvalidArgumentError(refusal.message);
  outcome.status_code = 400;
  outcome.body =
      http::ErrorBody({400, "invalid_request_error", refusal.message, std::nullopt, refusal.param});
  return outcome;
}

Outcome AnsweredOutcome(const http::Response& response, LimitHints hints,
                        std::string_view deployment, std::string_view request_id_header) {
  Outcome outcome;
  outcome.status_code = response.status;
  outcome.body = response.body;
  outcome.request_id = std::string(response.headers.Get(request_id_header).value_or(""));
  outcome.hints = std::move(hints);
  Classification c = ClassifyResponse(response.status, outcome.hints, response.body);
  outcome.verdict = c.verdict;
  outcome.status = c.status;
  outcome.retry_after = c.retry_after;
  if (RejectsCredentials(response.status)) {
    outcome.status =
        Status(c.status.code(), CredentialsRejectedMessage(deployment, response.status));
  }
  return outcome;
}

Outcome UnansweredOutcome(const Status& failure) {
  Classification c = ClassifyTransportFailure(failure);
  Outcome outcome;
  outcome.verdict = c.verdict;
  outcome.status = c.status;
  return outcome;
}

std::string DescribeOutcome(const Outcome& outcome) {
  std::string text =
      outcome.status_code > 0 ? "HTTP " + std::to_string(outcome.status_code) : "no answer";
  if (!outcome.request_id.empty()) text += " (upstream request " + outcome.request_id + ")";
  switch (outcome.verdict) {
    case Verdict::kSuccess:
      return text;
    case Verdict::kRetry:
      return text + ", retryable: " + outcome.status.ToString();
    case Verdict::kFail:
      break;
  }
  return text + ", final: " + outcome.status.ToString();
}

}  // namespace sluice::providers
