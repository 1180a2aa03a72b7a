#include "batch/line_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace sluice::batch {
namespace {

struct ReadLine {
  std::int64_t number;
  std::string text;
  bool oversized;
};

std::vector<ReadLine> ReadAll(const std::string& content, std::size_t max_line_bytes) {
  std::FILE* file = std::tmpfile();
  std::fwrite(content.data(), 1, content.size(), file);
  std::rewind(file);
  LineReader reader(file, max_line_bytes);
  std::vector<ReadLine> lines;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok());
    if (!next.ok() || !next->has_value()) break;
    const Line& line = **next;
    lines.push_back({line.number, std::string(line.text), line.oversized});
  }
  EXPECT_EQ(reader.bytes_read(), content.size());
  std::fclose(file);
  return lines;
}

TEST(LineReaderTest, SplitsOnNewlinesAndKeepsLastLineWithoutNewline) {
  auto lines = ReadAll("a\nbb\nccc", 100);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "a");
  EXPECT_EQ(lines[2].text, "ccc");
  EXPECT_EQ(lines[2].number, 3);
}

TEST(LineReaderTest, StripsCrlfAndEmptyFileHasNoLines) {
  auto lines = ReadAll("x\r\ny\r\n", 100);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "x");
  EXPECT_EQ(lines[1].text, "y");
  EXPECT_TRUE(ReadAll("", 100).empty());
}

TEST(LineReaderTest, OversizedLineIsSkippedAndReaderRecovers) {
  std::string big(5000, 'z');
  auto lines = ReadAll("ok\n" + big + "\nafter\n", 100);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[1].oversized);
  EXPECT_TRUE(lines[1].text.empty());
  EXPECT_EQ(lines[2].text, "after");
  EXPECT_EQ(lines[2].number, 3);
}

TEST(LineReaderTest, LinesSpanningChunksAreJoined) {
  // Longer than the reader's 1 MiB chunk, so the line crosses a refill.
  std::string long_line(1500000, 'q');
  auto lines = ReadAll("head\n" + long_line + "\ntail", 2000000);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].text.size(), long_line.size());
  EXPECT_FALSE(lines[1].oversized);
  EXPECT_EQ(lines[2].text, "tail");
}

TEST(LineReaderTest, HugeLineAcrossChunksIsOversizedWithoutHoldingIt) {
  std::string huge(3000000, 'h');
  auto lines = ReadAll(huge + "\nnext\n", 1000);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].oversized);
  EXPECT_EQ(lines[1].text, "next");
}

TEST(LineReaderTest, OpenReportsMissingFile) {
  auto reader = LineReader::Open("no/such/file.jsonl", 100);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find("no/such/file.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace sluice::batch
