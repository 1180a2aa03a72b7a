#include "ratelimit/accounting.h"

#include <gtest/gtest.h>

namespace sluice::ratelimit {
namespace {

TEST(AccountingTest, OpenAiChargesPromptAndOutputCapAtAdmissionAndKeepsIt) {
  Amounts charges =
      AdmissionCharges(Accounting::kOpenAi, {.prompt_tokens = 100, .max_output_tokens = 50}, 999);
  EXPECT_EQ(charges[Index(Budget::kRequests)], 1);
  EXPECT_EQ(charges[Index(Budget::kTokens)], 150);
  EXPECT_EQ(charges[Index(Budget::kInputTokens)], 0);
  EXPECT_EQ(charges[Index(Budget::kOutputTokens)], 0);
  Feedback answered{.status_code = 200, .has_usage = true, .input_tokens = 90, .output_tokens = 7};
  EXPECT_FALSE(FinalCharges(Accounting::kOpenAi, charges, answered).has_value());
  EXPECT_TRUE(Meters(Accounting::kOpenAi, Budget::kTokens));
  EXPECT_FALSE(Meters(Accounting::kOpenAi, Budget::kInputTokens));
}

TEST(AccountingTest, AnthropicSplitsInputAndExpectedOutputThenSettlesToUsage) {
  Amounts charges = AdmissionCharges(Accounting::kAnthropic,
                                     {.prompt_tokens = 100, .max_output_tokens = 1000}, 300);
  EXPECT_EQ(charges[Index(Budget::kRequests)], 1);
  EXPECT_EQ(charges[Index(Budget::kTokens)], 0);
  EXPECT_EQ(charges[Index(Budget::kInputTokens)], 100);
  EXPECT_EQ(charges[Index(Budget::kOutputTokens)], 300);  // what is expected, not the cap
  Amounts capped =
      AdmissionCharges(Accounting::kAnthropic, {.prompt_tokens = 1, .max_output_tokens = 20}, 300);
  EXPECT_EQ(capped[Index(Budget::kOutputTokens)], 20);  // never more than the cap
  Feedback answered{.status_code = 200, .has_usage = true, .input_tokens = 90, .output_tokens = 7};
  auto final_charges = FinalCharges(Accounting::kAnthropic, charges, answered);
  ASSERT_TRUE(final_charges.has_value());
  EXPECT_EQ((*final_charges)[Index(Budget::kRequests)], 1);
  EXPECT_EQ((*final_charges)[Index(Budget::kInputTokens)], 90);
  EXPECT_EQ((*final_charges)[Index(Budget::kOutputTokens)], 7);
  Feedback failed{.status_code = 500};
  EXPECT_FALSE(FinalCharges(Accounting::kAnthropic, charges, failed).has_value());
}

}  // namespace
}  // namespace sluice::ratelimit
