#include "common/go_duration.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(GoDurationTest, FormatsLikeGoDurationString) {
  EXPECT_EQ(FormatGoDuration(Duration::zero()), "0s");
  EXPECT_EQ(FormatGoDuration(milliseconds(20)), "20ms");
  EXPECT_EQ(FormatGoDuration(milliseconds(1440)), "1.44s");
  EXPECT_EQ(FormatGoDuration(minutes(6)), "6m0s");
  EXPECT_EQ(FormatGoDuration(milliseconds(172800)), "2m52.8s");
  EXPECT_EQ(FormatGoDuration(seconds(1)), "1s");
  EXPECT_EQ(FormatGoDuration(milliseconds(33023)), "33.023s");
  EXPECT_EQ(FormatGoDuration(seconds(3723) + milliseconds(500)), "1h2m3.5s");
  EXPECT_EQ(FormatGoDuration(std::chrono::hours(1)), "1h0m0s");
}

TEST(GoDurationTest, RoundsUpToWholeMilliseconds) {
  EXPECT_EQ(FormatGoDuration(microseconds(1)), "1ms");
  EXPECT_EQ(FormatGoDuration(microseconds(11001)), "12ms");
  EXPECT_EQ(FormatGoDuration(microseconds(999001)), "1s");
  EXPECT_EQ(CeilMilliseconds(microseconds(540000)), 540);
  EXPECT_EQ(CeilMilliseconds(microseconds(540001)), 541);
}

TEST(GoDurationTest, NegativeIsZero) {
  EXPECT_EQ(FormatGoDuration(-seconds(3)), "0s");
  EXPECT_EQ(CeilMilliseconds(-seconds(3)), 0);
}

}  // namespace
}  // namespace sluice
