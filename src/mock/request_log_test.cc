#include "mock/request_log.h"

#include <gtest/gtest.h>

namespace sluice::mock {
namespace {

using namespace std::chrono_literals;

TEST(RequestLogTest, ListsRequestsInArrivalOrderFromTheFirst) {
  TimePoint t0 = TimePoint(100s);
  RequestLog log;
  EXPECT_EQ(log.ToTsv(), "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel\n");
  log.Add(t0, 300ms, 200, 125, "unique-0000001-42 the quick brown fox");
  log.Add(t0 + 1500us, 0ms, 429, 0, "  unique-0000002-42\tand more");
  log.Add(t0 + 2s, 250ms, 0, 30, "");
  EXPECT_EQ(log.ToTsv(),
            "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel\n"
            "0.000\t300.000\t200\t125\tunique-0000001-42\n"
            "1.500\t1.500\t429\t0\tunique-0000002-42\n"
            "2000.000\t2250.000\t0\t30\t-\n");
  log.Clear();
  EXPECT_TRUE(log.entries().empty());
}

TEST(RequestLogTest, LabelsAreShortAndSingleLine) {
  RequestLog log;
  log.Add(TimePoint{}, 0ms, 200, 1, std::string(100, 'x') + " tail");
  log.Add(TimePoint{}, 0ms, 200, 1, std::string("a\x01z"));
  EXPECT_EQ(log.entries()[0].label, std::string(64, 'x'));
  EXPECT_EQ(log.entries()[1].label, "a_z");
}

}  // namespace
}  // namespace sluice::mock
