#include "batch/ingest.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sluice::batch {
namespace {

std::string WriteFile(const std::string& content) {
  std::string dir = std::filesystem::temp_directory_path() / "sluice-ingest-XXXXXX";
  std::string path = std::string(mkdtemp(dir.data())) + "/in.jsonl";
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string Line(int i) {
  return R"({"custom_id":"c)" + std::to_string(i) +
         R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"m",)"
         R"("messages":[{"role":"user","content":"abcdefgh"}],"max_tokens":10}})";
}

TEST(IngestTest, ChunksValidItemsInOrderWithLinePositions) {
  std::string content;
  for (int i = 0; i < 25; ++i) content += Line(i) + "\r\n";
  std::vector<std::vector<NewItem>> chunks;
  IngestOptions options;
  options.chunk_items = 10;
  auto report = IngestFile(WriteFile(content), options,
                           {[&](std::vector<NewItem> items) {
                              chunks.push_back(std::move(items));
                              return OkStatus();
                            },
                            nullptr});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->totals.requests, 25);
  EXPECT_EQ(report->invalid, 0);
  EXPECT_EQ(report->totals.prompt_tokens, 50);
  EXPECT_EQ(report->totals.max_output_tokens, 250);
  EXPECT_EQ(report->by_model.at("m").requests, 25);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[2].back().index, 24);
  EXPECT_EQ(chunks[0][3].custom_id, "c3");
  EXPECT_EQ(chunks[0][3].estimated_tokens, 12);
}

TEST(IngestTest, ReportsEveryBadLineAndSkipsBlankOnes) {
  std::string content = Line(0) + "\n\n{oops\n" + Line(0) + "\n   \n" + Line(1);  // no final \n
  std::vector<LineError> seen;
  auto report = IngestFile(WriteFile(content), {}, {nullptr, [&](const LineError& e) {
                                                      seen.push_back(e);
                                                      return OkStatus();
                                                    }});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->totals.requests, 2);
  EXPECT_EQ(report->invalid, 2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].line, 3);
  EXPECT_EQ(seen[0].code, "invalid_json_line");
  EXPECT_EQ(seen[1].line, 4);
  EXPECT_EQ(seen[1].code, "duplicate_custom_id");
}

TEST(IngestTest, EmptyFileHasNoRequestsAndMissingFileIsNotFound) {
  auto empty = IngestFile(WriteFile(""), {}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->totals.requests, 0);
  EXPECT_EQ(IngestFile("/no/such.jsonl", {}, {}).status().code(), StatusCode::kNotFound);
}

TEST(IngestTest, SinkErrorStopsTheIngest) {
  auto report =
      IngestFile(WriteFile(Line(0) + "\n"), {},
                 {[](std::vector<NewItem>) { return ResourceExhaustedError("full"); }, nullptr});
  EXPECT_EQ(report.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace sluice::batch
