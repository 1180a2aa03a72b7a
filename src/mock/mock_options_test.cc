#include "mock/mock_options.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sluice::mock {
namespace {

TEST(MockOptionsTest, DefaultsAreValid) { EXPECT_TRUE(ValidateMockOptions({}).ok()); }

TEST(MockOptionsTest, ListsEveryProblemAtOnce) {
  MockOptions o;
  o.rpm = -1;
  o.tpm = -5;
  o.latency_jitter = 1.5;
  o.faults.hang = 2;
  o.faults.http_500 = -0.1;
  o.time_to_first_byte = -std::chrono::milliseconds(1);
  Status s = ValidateMockOptions(o);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  for (std::string_view part :
       {"rpm must be >= 0 (got -1)", "tpm must be >= 0 (got -5)", "latency_jitter",
        "faults.hang must be within 0..1 (got 2)", "faults.http_500", "time_to_first_byte"}) {
    EXPECT_NE(s.message().find(part), std::string::npos) << part << " in " << s.message();
  }
}

TEST(MockOptionsTest, FaultRatesMustNotAddUpToMoreThanOne) {
  MockOptions o;
  o.faults.http_500 = 0.6;
  o.faults.reset = 0.6;
  EXPECT_FALSE(ValidateMockOptions(o).ok());
  o.faults.reset = 0.4;
  EXPECT_TRUE(ValidateMockOptions(o).ok());
}

TEST(MockOptionsTest, RejectsNanAndEmptyKey) {
  MockOptions o;
  o.faults.malformed = std::nan("");
  o.required_api_key = "";
  Status s = ValidateMockOptions(o);
  EXPECT_NE(s.message().find("faults.malformed"), std::string::npos);
  EXPECT_NE(s.message().find("required_api_key"), std::string::npos);
}

}  // namespace
}  // namespace sluice::mock
