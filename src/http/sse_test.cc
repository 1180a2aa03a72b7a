#include "http/sse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::http {
namespace {

std::vector<SseEvent> FeedAll(SseParser& parser, std::string_view bytes) {
  return parser.Feed(bytes);
}

std::vector<SseEvent> FeedByteAtATime(std::string_view bytes) {
  SseParser parser;
  std::vector<SseEvent> all;
  for (char c : bytes) {
    for (SseEvent& e : parser.Feed(std::string_view(&c, 1))) all.push_back(std::move(e));
  }
  return all;
}

TEST(SseParserTest, ParsesOneDataEvent) {
  SseParser parser;
  EXPECT_EQ(FeedAll(parser, "data: {\"a\":1}\n\n"), (std::vector<SseEvent>{{"", "{\"a\":1}", ""}}));
}

TEST(SseParserTest, DispatchesOnlyOnBlankLine) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("data: hello\n").empty());
  EXPECT_TRUE(parser.HasPartialEvent());
  EXPECT_EQ(parser.Feed("\n"), (std::vector<SseEvent>{{"", "hello", ""}}));
  EXPECT_FALSE(parser.HasPartialEvent());
}

TEST(SseParserTest, JoinsDataLinesWithNewline) {
  SseParser parser;
  EXPECT_EQ(parser.Feed("data: a\ndata:b\ndata\n\n"), (std::vector<SseEvent>{{"", "a\nb\n", ""}}));
}

TEST(SseParserTest, RemovesOnlyOneSpaceAfterColon) {
  SseParser parser;
  EXPECT_EQ(parser.Feed("data:  two\n\n"), (std::vector<SseEvent>{{"", " two", ""}}));
}

TEST(SseParserTest, IgnoresComments) {
  SseParser parser;
  EXPECT_EQ(parser.Feed(": keep-alive\n\n:x\ndata: y\n: more\n\n"),
            (std::vector<SseEvent>{{"", "y", ""}}));
}

TEST(SseParserTest, BlankLineWithoutDataDispatchesNothingAndResetsEventType) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("event: ping\n\n").empty());
  EXPECT_EQ(parser.Feed("data: x\n\n"), (std::vector<SseEvent>{{"", "x", ""}}));
}

TEST(SseParserTest, CarriesEventTypeAndId) {
  SseParser parser;
  auto events = parser.Feed(
      "event: content_block_delta\nid: 7\ndata: {}\n\n"
      "data: second\n\n");
  EXPECT_EQ(events,
            (std::vector<SseEvent>{{"content_block_delta", "{}", "7"}, {"", "second", "7"}}));
}

TEST(SseParserTest, IgnoresIdContainingNul) {
  SseParser parser;
  using namespace std::string_literals;
  auto events = parser.Feed("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"s);
  EXPECT_EQ(events, (std::vector<SseEvent>{{"", "a", "1"}, {"", "b", "1"}}));
}

TEST(SseParserTest, IgnoresUnknownFieldsAndRetry) {
  SseParser parser;
  EXPECT_EQ(parser.Feed("retry: 1000\nfoo: bar\ndata: z\n\n"),
            (std::vector<SseEvent>{{"", "z", ""}}));
}

TEST(SseParserTest, AcceptsCrLfAndCrLineEndings) {
  SseParser parser;
  EXPECT_EQ(parser.Feed("data: a\r\n\r\ndata: b\r\rdata: c\r\ndata: d\n\r"),
            (std::vector<SseEvent>{{"", "a", ""}, {"", "b", ""}, {"", "c\nd", ""}}));
}

TEST(SseParserTest, CrLfSplitAcrossFeedsIsOneLineEnd) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("data: a\r").empty());
  // The "\n" completes "\r\n"; it must not count as the blank line that dispatches.
  EXPECT_TRUE(parser.Feed("\n").empty());
  EXPECT_EQ(parser.Feed("\r\n"), (std::vector<SseEvent>{{"", "a", ""}}));
}

TEST(SseParserTest, LineSplitAcrossFeeds) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("da").empty());
  EXPECT_TRUE(parser.Feed("ta: hel").empty());
  EXPECT_EQ(parser.Feed("lo\n\n"), (std::vector<SseEvent>{{"", "hello", ""}}));
}

TEST(SseParserTest, ByteAtATimeMatchesWholeFeed) {
  const std::string stream =
      "\xEF\xBB\xBF: comment\r\n"
      "event: message_start\r\n"
      "id: 42\r\n"
      "data: {\"type\":\"message_start\"}\r\n"
      "\r\n"
      "data: line1\r"
      "data:line2\n"
      "\n"
      "data: [DONE]\r\r";
  SseParser whole;
  std::vector<SseEvent> expected = whole.Feed(stream);
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected[0], (SseEvent{"message_start", "{\"type\":\"message_start\"}", "42"}));
  EXPECT_EQ(expected[1], (SseEvent{"", "line1\nline2", "42"}));
  EXPECT_EQ(expected[2], (SseEvent{"", "[DONE]", "42"}));
  EXPECT_EQ(FeedByteAtATime(stream), expected);
}

TEST(SseParserTest, SkipsLeadingBomOnlyAtStart) {
  SseParser parser;
  EXPECT_EQ(parser.Feed("\xEF\xBB\xBF"
                        "data: x\n\n"),
            (std::vector<SseEvent>{{"", "x", ""}}));
  EXPECT_EQ(parser.Feed("\xEF\xBB\xBF"
                        "data: y\n\n"),
            std::vector<SseEvent>{});
}

TEST(SseParserTest, PartialBomPrefixIsKeptAsText) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("\xEF").empty());
  // "\xEF" followed by something that is not the BOM: the byte belongs to the field name.
  EXPECT_EQ(parser.Feed("data: x\n\ndata: y\n\n"), (std::vector<SseEvent>{{"", "y", ""}}));
}

TEST(SseParserTest, ShortFirstFeedWithoutBom) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("d").empty());
  EXPECT_TRUE(parser.Feed("a").empty());
  EXPECT_EQ(parser.Feed("ta: q\n\n"), (std::vector<SseEvent>{{"", "q", ""}}));
}

TEST(SseParserTest, UnterminatedEventStaysBuffered) {
  SseParser parser;
  EXPECT_TRUE(parser.Feed("data: partial").empty());
  EXPECT_TRUE(parser.HasPartialEvent());
}

TEST(FormatSseDataTest, WrapsJsonInDataLine) {
  EXPECT_EQ(FormatSseData("{\"a\":1}"), "data: {\"a\":1}\n\n");
}

TEST(FormatSseDataTest, SplitsMultilinePayloadAndRoundTrips) {
  const std::string payload = "{\n  \"a\": 1\r\n}";
  std::string formatted = FormatSseData(payload);
  EXPECT_EQ(formatted, "data: {\ndata:   \"a\": 1\ndata: }\n\n");
  SseParser parser;
  EXPECT_EQ(parser.Feed(formatted), (std::vector<SseEvent>{{"", "{\n  \"a\": 1\n}", ""}}));
}

}  // namespace
}  // namespace sluice::http
