#include "batch/output_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::batch {
namespace {

std::string TempDir() {
  std::string dir = std::filesystem::temp_directory_path() / "sluice-out-XXXXXX";
  return mkdtemp(dir.data());
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<ResultRecord> Results(int n) {
  std::vector<ResultRecord> results;
  for (int i = 0; i < n; ++i) {
    ResultRecord r;
    r.index = i * 2;  // gaps, as blank or invalid lines leave
    r.custom_id = "c" + std::to_string(i);
    r.success = i % 3 != 0;
    r.status_code = r.success ? 200 : 500;
    r.body = "{}";
    results.push_back(r);
  }
  return results;
}

ResultPager PagerOver(const std::vector<ResultRecord>& all) {
  return [&all](std::int64_t after, std::size_t limit) -> Result<std::vector<ResultRecord>> {
    std::vector<ResultRecord> page;
    for (const auto& r : all) {
      if (r.index > after && page.size() < limit) page.push_back(r);
    }
    return page;
  };
}

TEST(OutputFilesTest, SplitsSuccessesAndFailuresInInputOrder) {
  std::string dir = TempDir();
  auto all = Results(2500);  // more than one page
  auto counts = WriteOutputFiles(PagerOver(all), "b", dir + "/out.jsonl", dir + "/err.jsonl");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->failed, 834);
  EXPECT_EQ(counts->succeeded, 1666);
  auto out = ReadLines(dir + "/out.jsonl");
  auto err = ReadLines(dir + "/err.jsonl");
  EXPECT_EQ(out.size(), 1666u);
  EXPECT_EQ(err.size(), 834u);
  EXPECT_NE(out[0].find("\"custom_id\":\"c1\""), std::string::npos);
  EXPECT_NE(err[1].find("\"custom_id\":\"c3\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl.partial"));
}

TEST(OutputFilesTest, WithoutErrorFileEverythingGoesToOutput) {
  std::string dir = TempDir();
  auto all = Results(10);
  ASSERT_TRUE(WriteOutputFiles(PagerOver(all), "b", dir + "/out.jsonl", std::nullopt).ok());
  EXPECT_EQ(ReadLines(dir + "/out.jsonl").size(), 10u);
}

TEST(OutputFilesTest, FailedReadLeavesNoFileUnderTheRealName) {
  std::string dir = TempDir();
  ResultPager broken = [](std::int64_t, std::size_t) -> Result<std::vector<ResultRecord>> {
    return DataLossError("store broke");
  };
  EXPECT_EQ(WriteOutputFiles(broken, "b", dir + "/out.jsonl", std::nullopt).status().code(),
            StatusCode::kDataLoss);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl.partial"));
}

TEST(OutputFilesTest, UnwritableDirectoryIsAClearError) {
  auto all = Results(1);
  auto counts = WriteOutputFiles(PagerOver(all), "b", "/no/such/dir/out.jsonl", std::nullopt);
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find("/no/such/dir/out.jsonl"), std::string::npos);
}

TEST(OutputFilesTest, DiskFullIsReported) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  // /dev/full accepts the open and fails every write with ENOSPC.
  std::string dir = TempDir();
  std::filesystem::create_symlink("/dev/full", dir + "/out.jsonl.partial");
  auto all = Results(5000);
  auto counts = WriteOutputFiles(PagerOver(all), "b", dir + "/out.jsonl", std::nullopt);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace sluice::batch
