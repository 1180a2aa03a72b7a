#include "cli/api_views.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::cli {
namespace {

boost::json::object Batch(const char* status, int total, int completed, int failed) {
  return boost::json::parse(std::string(R"({"id":"batch_1","status":")") + status +
                            R"(","endpoint":"/v1/chat/completions","created_at":1765070412,)" +
                            R"("request_counts":{"total":)" + std::to_string(total) +
                            R"(,"completed":)" + std::to_string(completed) +
                            R"(,"failed":)" + std::to_string(failed) + "}}")
      .as_object();
}

TEST(TableTest, PadsColumnsToTheWidestCell) {
  EXPECT_EQ(FormatTable({"ID", "STATUS"}, {{"batch_1", "completed"}, {"b", "é"}}),
            "ID       STATUS\n"
            "batch_1  completed\n"
            "b        é\n");
  EXPECT_EQ(FormatTime(1765070412), "2025-12-07 01:20:12");
  EXPECT_EQ(FormatTime(0), "-");
}

TEST(ApiViewsTest, ABatchRowCountsFailedLinesAsDone) {
  EXPECT_EQ(BatchRow(Batch("in_progress", 10, 4, 2)),
            (TableRow{"batch_1", "in_progress", "/v1/chat/completions", "6/10", "2",
                      "2025-12-07 01:20:12"}));
  // Missing fields show as "-" and 0, never a crash.
  EXPECT_EQ(BatchRow(boost::json::object{}), (TableRow{"-", "-", "-", "0/0", "0", "-"}));
}

TEST(ApiViewsTest, TheWaitLineShowsProgressAndAnEta) {
  EXPECT_EQ(WaitLine(Batch("in_progress", 1000, 400, 12), 20.0),
            "[########............] 412/1000 41%  12 failed  20.0 req/s  ETA 29s  in_progress");
  EXPECT_EQ(WaitLine(Batch("validating", 0, 0, 0), 0), "[....................] 0/0 0%  validating");
}

TEST(ApiViewsTest, WaitExitsWithTheBatchOutcome) {
  EXPECT_EQ(WaitExitCode("completed"), 0);
  EXPECT_EQ(WaitExitCode("failed"), 1);
  EXPECT_EQ(WaitExitCode("expired"), 3);
  EXPECT_EQ(WaitExitCode("cancelled"), 4);
  EXPECT_TRUE(IsTerminal("cancelled"));
  EXPECT_FALSE(IsTerminal("cancelling"));
  EXPECT_FALSE(IsTerminal("finalizing"));
}

TEST(ApiViewsTest, DetailsNameTheFilesAndErrors) {
  boost::json::object batch = Batch("failed", 0, 0, 0);
  batch["input_file_id"] = "file-in";
  batch["errors"] = boost::json::parse(R"({"data":[{"message":"line 3: bad"}]})");
  std::string details = BatchDetails(batch);
  EXPECT_NE(details.find("input file:     file-in\n"), std::string::npos) << details;
  EXPECT_NE(details.find("output file:    -\n"), std::string::npos) << details;
  EXPECT_NE(details.find("error:          line 3: bad\n"), std::string::npos) << details;
}

}  // namespace
}  // namespace sluice::cli
