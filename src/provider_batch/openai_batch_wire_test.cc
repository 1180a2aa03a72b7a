#include "provider_batch/openai_batch_wire.h"

#include <gtest/gtest.h>

namespace sluice::provider_batch {
namespace {

TEST(OpenAiBatchWireTest, TheInputFileHasOneCompactLinePerRequest) {
  std::string file = OpenAiInputFile(
      {{"i0", "/v1/chat/completions", "{\n \"model\": \"m\"\n}"}, {"i1", "/v1/embeddings", "{}"}});
  EXPECT_EQ(file,
            "{\"custom_id\":\"i0\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            "\"body\":{\"model\":\"m\"}}\n"
            "{\"custom_id\":\"i1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}\n");
}

TEST(OpenAiBatchWireTest, ABatchObjectSaysWhetherItEndedAndWhereItsFilesAre) {
  auto batch = ParseOpenAiBatch(
      R"({"id":"batch_1","object":"batch","status":"expired","output_file_id":"file-o",)"
      R"("error_file_id":"file-e","errors":null})");
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->id, "batch_1");
  EXPECT_EQ(batch->status.state, UpstreamState::kEnded);
  EXPECT_EQ(batch->status.result_locations, (std::vector<std::string>{"file-o", "file-e"}));
  auto failed = ParseOpenAiBatch(
      R"({"id":"b","object":"batch","status":"failed","errors":{"object":"list","data":[)"
      R"({"code":"token_limit_exceeded","message":"Enqueued token limit reached","line":null}]}})");
  EXPECT_EQ(failed->status.state, UpstreamState::kFailed);
  EXPECT_EQ(failed->status.error_code, "token_limit_exceeded");
  EXPECT_EQ(ParseOpenAiBatch(R"({"id":"b","object":"batch","status":"finalizing"})")->status.state,
            UpstreamState::kRunning);
  EXPECT_FALSE(ParseOpenAiBatch("{\"error\":{}}").ok());
}

TEST(OpenAiBatchWireTest, APageFindsTheSubmissionByItsMetadata) {
  auto page = FindInOpenAiBatchPage(
      R"({"object":"list","data":[{"id":"b1","metadata":null},)"
      R"({"id":"b2","metadata":{"sluice_submission":"s-2"}}],"has_more":true,"last_id":"b2"})",
      "s-2");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->found, "b2");
  auto next = FindInOpenAiBatchPage(
      R"({"object":"list","data":[{"id":"b1"}],"has_more":true,"last_id":"b1"})", "s-2");
  EXPECT_FALSE(next->found);
  EXPECT_EQ(next->next_after, "b1");
}

TEST(OpenAiBatchWireTest, ResultLinesKeepAnswersErrorsAndCountWhatDoesNotParse) {
  UpstreamResults results;
  ParseOpenAiResultFile(
      R"({"id":"r1","custom_id":"i1","response":{"status_code":200,"request_id":"req_1","body":{"ok":1}},"error":null})"
      "\n"
      R"({"id":"r2","custom_id":"i2","response":null,"error":{"code":"batch_expired","message":"late"}})"
      "\n{\"id\":\n",
      results);
  ASSERT_EQ(results.lines.size(), 2u);
  EXPECT_EQ(results.malformed, 1);
  EXPECT_EQ(results.lines[0].response->status, 200);
  EXPECT_EQ(results.lines[0].response->body, "{\"ok\":1}");
  EXPECT_EQ(results.lines[0].response->headers.Get("x-request-id"), "req_1");
  EXPECT_EQ(results.lines[1].error_code, "batch_expired");
}

}  // namespace
}  // namespace sluice::provider_batch
