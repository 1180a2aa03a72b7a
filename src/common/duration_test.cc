#include "common/duration.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using namespace std::chrono_literals;

Duration Parse(std::string_view text) { return ParseDuration(text).value(); }

TEST(ParseDurationTest, ReadsOpenAiResetHeaders) {
  EXPECT_EQ(Parse("12ms"), 12ms);
  EXPECT_EQ(Parse("1s"), 1s);
  EXPECT_EQ(Parse("6m0s"), 6min);
  EXPECT_EQ(Parse("33.023s"), 33023ms);
  EXPECT_EQ(Parse("2m52.8s"), 172800ms);
  EXPECT_EQ(Parse("1h2m3s"), 3723s);
  EXPECT_EQ(Parse("0s"), 0s);
  EXPECT_EQ(Parse("0"), 0s);
  EXPECT_EQ(Parse("250us"), 250us);
  EXPECT_EQ(Parse("1.5ms"), 1500us);
}

TEST(ParseDurationTest, RejectsWhatIsNotADuration) {
  for (std::string_view bad : {"", "5", "-1s", "1x", "s", "1.2.3s", "ms", "1s ", " 1s", "1e3s",
                               "99999999999999999999999999999999999999999s"}) {
    auto parsed = ParseDuration(bad);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace sluice
