#include "common/trace_context.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

constexpr std::string_view kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(ParseTraceparentTest, ReadsVersion00) {
  std::optional<TraceParent> parent = ParseTraceparent(kValid);
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parent->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(parent->flags, 0x01);
}

TEST(ParseTraceparentTest, KeepsEveryFlagOfVersion00) {
  std::optional<TraceParent> parent =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->flags, 0x03);
}

TEST(ParseTraceparentTest, RefusesTheWrongLength) {
  std::string text(kValid);
  EXPECT_FALSE(ParseTraceparent(text.substr(0, text.size() - 1)));
  EXPECT_FALSE(ParseTraceparent(text + "0"));
  EXPECT_FALSE(ParseTraceparent(text + "-"));  // version 00 has nothing after the flags
  EXPECT_FALSE(ParseTraceparent(""));
  // Right length overall, wrong field lengths.
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e47360-0f067aa0ba902b7-01"));
}

TEST(ParseTraceparentTest, RefusesWhatIsNotLowercaseHex) {
  EXPECT_FALSE(ParseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"));
  EXPECT_FALSE(ParseTraceparent("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-+1"));
}

TEST(ParseTraceparentTest, RefusesOtherSeparators) {
  EXPECT_FALSE(ParseTraceparent("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01"));
}

TEST(ParseTraceparentTest, RefusesAllZeroIds) {
  EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
}

TEST(ParseTraceparentTest, RefusesVersionFf) {
  EXPECT_FALSE(ParseTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST(ParseTraceparentTest, ReadsALaterVersionsKnownFieldsAndSampledFlagOnly) {
  std::optional<TraceParent> parent =
      ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-comes-next");
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parent->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(parent->flags, 0x01);
  EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
}

TEST(ParseTraceparentTest, RefusesALaterVersionWhoseFlagsAreNotFollowedByADash) {
  EXPECT_FALSE(ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
  EXPECT_FALSE(ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0"));
}

TEST(FormatTraceparentTest, WritesVersion00WithTwoDigitFlags) {
  TraceParent parent;
  parent.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  parent.parent_id = "00f067aa0ba902b7";
  parent.flags = 0x01;
  EXPECT_EQ(FormatTraceparent(parent), kValid);
  parent.flags = 0xa0;
  EXPECT_EQ(FormatTraceparent(parent), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-a0");
}

TEST(FormatTraceparentTest, ALaterVersionIsPassedOnAsVersion00) {
  std::optional<TraceParent> parent =
      ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra");
  ASSERT_TRUE(parent);
  EXPECT_EQ(FormatTraceparent(*parent), kValid);
}

TEST(NewTraceTest, IsValidAndNotSampled) {
  TraceParent trace = NewTrace();
  std::optional<TraceParent> parsed = ParseTraceparent(FormatTraceparent(trace));
  ASSERT_TRUE(parsed) << FormatTraceparent(trace);
  EXPECT_EQ(parsed->trace_id, trace.trace_id);
  EXPECT_EQ(parsed->flags, 0);
  EXPECT_NE(NewTrace().trace_id, trace.trace_id);
}

TEST(ChildOfTest, KeepsTheTraceAndFlagsWithANewParent) {
  std::optional<TraceParent> parent = ParseTraceparent(kValid);
  ASSERT_TRUE(parent);
  TraceParent child = ChildOf(*parent);
  EXPECT_EQ(child.trace_id, parent->trace_id);
  EXPECT_EQ(child.flags, parent->flags);
  EXPECT_NE(child.parent_id, parent->parent_id);
  EXPECT_NE(ChildOf(*parent).parent_id, child.parent_id);
  EXPECT_TRUE(ParseTraceparent(FormatTraceparent(child)));
}

}  // namespace
}  // namespace sluice
