#include "ratelimit/accounting.h"

#include <algorithm>

namespace sluice::ratelimit {

bool Meters(Accounting accounting, Budget budget) {
  switch (budget) {
    case Budget::kRequests:
      return true;
    case Budget::kTokens:
      return accounting == Accounting::kOpenAi;
    case Budget::kInputTokens:
    case Budget::kOutputTokens:
      return accounting == Accounting::kAnthropic;
  }
  return false;
}

Amounts AdmissionCharges(Accounting accounting, const Cost& cost, double expected_output) {
  Amounts charges{};
  charges[Index(Budget::kRequests)] = 1;
  auto prompt = static_cast<double>(cost.prompt_tokens);
  auto cap = static_cast<double>(cost.max_output_tokens);
  if (accounting == Accounting::kOpenAi) {
    charges[Index(Budget::kTokens)] = prompt + cap;
  } else {
    charges[Index(Budget::kInputTokens)] = prompt;
    charges[Index(Budget::kOutputTokens)] =
        cap > 0 ? std::min(cap, expected_output) : expected_output;
  }
  return charges;
}

std::optional<Amounts> FinalCharges(Accounting accounting, const Amounts& admitted,
                                    const Feedback& feedback) {
  if (accounting != Accounting::kAnthropic || !feedback.has_usage) return std::nullopt;
  Amounts final_charges = admitted;
  final_charges[Index(Budget::kInputTokens)] = static_cast<double>(feedback.input_tokens);
  final_charges[Index(Budget::kOutputTokens)] = static_cast<double>(feedback.output_tokens);
  return final_charges;
}

}  // namespace sluice::ratelimit
