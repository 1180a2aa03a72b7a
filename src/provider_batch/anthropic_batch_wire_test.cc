#include "provider_batch/anthropic_batch_wire.h"

#include <gtest/gtest.h>

namespace sluice::provider_batch {
namespace {

TEST(AnthropicBatchWireTest, TheCreateBodyCarriesEachRequestAsParams) {
  EXPECT_EQ(MessageBatchBody({{"i0", "/v1/chat/completions", R"({"model":"c","max_tokens":8})"}}),
            R"({"requests":[{"custom_id":"i0","params":{"model":"c","max_tokens":8}}]})");
}

TEST(AnthropicBatchWireTest, AnEndedBatchPointsAtItsResults) {
  auto batch = ParseMessageBatch(
      R"({"id":"msgbatch_1","type":"message_batch","processing_status":"ended",)"
      R"("request_counts":{"processing":0,"succeeded":2,"errored":1,"canceled":0,"expired":1},)"
      R"("created_at":"2026-12-07T15:00:00.000001Z","results_url":"http://h/v1/messages/batches/msgbatch_1/results"})");
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->status.state, UpstreamState::kEnded);
  EXPECT_EQ(batch->requests, 4);
  EXPECT_EQ(batch->status.result_locations[0], "http://h/v1/messages/batches/msgbatch_1/results");
  auto running =
      ParseMessageBatch(R"({"id":"m","type":"message_batch","processing_status":"canceling"})");
  EXPECT_EQ(running->status.state, UpstreamState::kRunning);
  EXPECT_FALSE(ParseMessageBatch(R"({"type":"error"})").ok());
}

TEST(AnthropicBatchWireTest, APageFindsTheNewestUnknownBatchOfTheRightSize) {
  std::string page =
      R"({"data":[{"id":"m3","created_at":"2026-12-07T15:00:05Z","request_counts":{"processing":2}},)"
      R"({"id":"m2","created_at":"2026-12-07T15:00:04Z","request_counts":{"processing":3}},)"
      R"({"id":"m1","created_at":"2026-12-07T14:59:00Z","request_counts":{"processing":3}}]})";
  EXPECT_EQ(*FindInMessageBatchPage(page, "2026-12-07T15:00:00Z", 3, {}), "m2");
  EXPECT_FALSE(*FindInMessageBatchPage(page, "2026-12-07T15:00:00Z", 3, {"m2"}));
  EXPECT_EQ(Rfc3339Seconds(WallTime(std::chrono::seconds(1767225600))), "2026-01-01T00:00:00Z");
}

TEST(AnthropicBatchWireTest, ResultsBecomeAnswersOrUnexecutedLines) {
  UpstreamResults results;
  ParseMessageBatchResults(
      R"({"custom_id":"i0","result":{"type":"succeeded","message":{"type":"message"}}})"
      "\n"
      R"({"custom_id":"i1","result":{"type":"errored","error":{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}}})"
      "\n"
      R"({"custom_id":"i2","result":{"type":"expired"}})"
      "\n"
      R"({"custom_id":"i3","result":{"type":"canceled"}})"
      "\n{\"custom_id\":",
      results);
  ASSERT_EQ(results.lines.size(), 4u);
  EXPECT_EQ(results.malformed, 1);
  EXPECT_EQ(results.lines[0].response->status, 200);
  EXPECT_EQ(results.lines[1].response->status, 429);
  EXPECT_EQ(results.lines[2].error_code, "batch_expired");
  EXPECT_EQ(results.lines[3].error_code, "batch_cancelled");
}

}  // namespace
}  // namespace sluice::provider_batch
