#include "scheduler/fallbacks.h"

#include <gtest/gtest.h>

namespace sluice::scheduler {
namespace {

constexpr FallbackClass kDown = FallbackClass::kUnavailable;
constexpr FallbackClass kLong = FallbackClass::kContextWindow;

// fast -> {smart on unavailable+context_window, backup on unavailable}; smart -> huge on
// context_window.
Fallbacks Example() {
  return Fallbacks({{"fast", {{"smart", {kDown, kLong}}, {"backup", {kDown}}}},
                    {"smart", {{"huge", {kLong}}}}});
}

TEST(FallbacksTest, TakesTheFirstFallbackForTheClassInOrder) {
  Fallbacks f = Example();
  EXPECT_EQ(f.Next({"fast"}, kDown), "smart");
  EXPECT_EQ(f.Next({"fast"}, kLong), "smart");
  EXPECT_EQ(f.Next({"fast"}, FallbackClass::kRateLimited), std::nullopt);
  EXPECT_EQ(f.Next({"backup"}, kDown), std::nullopt);
}

TEST(FallbacksTest, AFallbacksOwnFallbacksComeBeforeItsSiblings) {
  Fallbacks f = Example();
  EXPECT_EQ(f.Next({"fast", "smart"}, kLong), "huge");
  EXPECT_EQ(f.Next({"fast", "smart"}, kDown), "backup");  // smart has none for it: back to fast
  EXPECT_EQ(f.Next({"fast", "smart", "huge"}, kLong), std::nullopt);
}

TEST(FallbacksTest, NeverOffersAModelTwice) {
  Fallbacks f({{"a", {{"b", {kDown}}, {"c", {kDown}}}}, {"b", {{"c", {kDown}}}}});
  EXPECT_EQ(f.Next({"a", "b"}, kDown), "c");
  EXPECT_EQ(f.Next({"a", "b", "c"}, kDown), std::nullopt);
  EXPECT_TRUE(Fallbacks().empty());
  EXPECT_EQ(Fallbacks().Next({"a"}, kDown), std::nullopt);
}

}  // namespace
}  // namespace sluice::scheduler
