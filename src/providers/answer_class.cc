#include "providers/answer_class.h"

namespace sluice::providers {

AnswerClass ClassOf(const Outcome& outcome) {
  if (outcome.verdict == Verdict::kSuccess) return AnswerClass::kOk;
  int status = outcome.status_code;
  if (status == 0) {
    switch (outcome.status.code()) {
      case StatusCode::kDeadlineExceeded:
        return AnswerClass::kTimeout;
      case StatusCode::kCancelled:
        return AnswerClass::kCancelled;
      default:
        return AnswerClass::kConnection;
    }
  }
  if (status == 429) return AnswerClass::kRateLimited;
  if (status == 503 || status == 529) return AnswerClass::kOverloaded;
  if (status >= 400 && status < 500) return AnswerClass::kClientError;
  if (status >= 200 && status < 300) return AnswerClass::kInvalidResponse;
  return AnswerClass::kServerError;
}

std::string_view AnswerClassName(AnswerClass answer) {
  switch (answer) {
    case AnswerClass::kOk:
      return "ok";
    case AnswerClass::kRateLimited:
      return "rate_limited";
    case AnswerClass::kOverloaded:
      return "overloaded";
    case AnswerClass::kServerError:
      return "server_error";
    case AnswerClass::kInvalidResponse:
      return "invalid_response";
    case AnswerClass::kTimeout:
      return "timeout";
    case AnswerClass::kConnection:
      return "connection";
    case AnswerClass::kClientError:
      return "client_error";
    case AnswerClass::kCancelled:
      return "cancelled";
  }
  return "server_error";
}

bool IsDeploymentFailure(AnswerClass answer) {
  return answer == AnswerClass::kOverloaded || answer == AnswerClass::kServerError ||
         answer == AnswerClass::kTimeout || answer == AnswerClass::kConnection;
}

}  // namespace sluice::providers
