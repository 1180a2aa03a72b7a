#include "store/redis/redis_records.h"

#include <gtest/gtest.h>

namespace sluice::store::redis {
namespace {

TEST(RedisRecordsTest, ItemsAndResultsSurviveTheRoundTripWithAnyBytes) {
  batch::NewItem item{7, "id:7", "m", "/v1/chat/completions", std::string("{\"a\":\"1:2\0x\"}", 13),
                      42};
  batch::NewItem back = *DecodeItem(EncodeItem(item));
  EXPECT_EQ(back.index, 7);
  EXPECT_EQ(back.custom_id, "id:7");
  EXPECT_EQ(back.body, item.body);
  EXPECT_EQ(back.estimated_tokens, 42);

  batch::ResultRecord result;
  result.index = 3;
  result.success = true;
  result.status_code = 200;
  result.body = "{}";
  result.usage = {1, 2, 3, 4, 5};
  result.cost_nanousd = 1500;
  result.failure_code = "";
  batch::ResultRecord decoded = *DecodeResult(EncodeResult(result));
  EXPECT_EQ(decoded.index, 3);
  EXPECT_TRUE(decoded.success);
  EXPECT_EQ(decoded.usage.reasoning_tokens, 5);
  EXPECT_EQ(decoded.cost_nanousd, 1500);
  EXPECT_EQ(decoded.duplicate_of, std::nullopt);
  result.cost_nanousd.reset();
  EXPECT_EQ(DecodeResult(EncodeResult(result))->cost_nanousd, std::nullopt);
}

TEST(RedisRecordsTest, ACopyOfAnotherLinesAnswerKeepsWhichLineAndWhatItSaved) {
  batch::ResultRecord copy;
  copy.index = 4;
  copy.success = true;
  copy.duplicate_of = 0;
  copy.saved_nanousd = 250;
  batch::ResultRecord back = *DecodeResult(EncodeResult(copy));
  EXPECT_EQ(back.duplicate_of, 0);
  EXPECT_EQ(back.saved_nanousd, 250);
}

TEST(RedisRecordsTest, TruncatedRecordsAreDataLoss) {
  std::string encoded = EncodeItem({1, "a", "m", "/v1/x", "{}", 1});
  EXPECT_EQ(DecodeItem(encoded.substr(0, encoded.size() - 3)).status().code(),
            StatusCode::kDataLoss);
}

TEST(RedisRecordsTest, SortableTimesOrderAsTheTimes) {
  WallTime t(std::chrono::seconds(9));
  EXPECT_LT(SortableTime(t), SortableTime(t + std::chrono::seconds(100)));
  EXPECT_EQ(SortableTime(t).size(), 20u);
  EXPECT_EQ(*TimeFromText(TimeText(t)), t);
}

}  // namespace
}  // namespace sluice::store::redis
