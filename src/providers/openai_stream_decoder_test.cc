#include "providers/openai_stream_decoder.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

std::unique_ptr<StreamDecoder> Decoder() {
  http::Headers headers;
  headers.Set("x-request-id", "req_7");
  headers.Set("x-ratelimit-remaining-tokens", "900");
  return MakeOpenAiProvider({"http://127.0.0.1:9/v1", "sk-test", "m", "m#0"})
      ->DecodeStream(200, headers, "{}");
}

TEST(OpenAiStreamDecoderTest, PassesBytesThroughAndReadsUsageFromTheLastChunk) {
  auto decoder = Decoder();
  // The usage chunk split across pieces, over two data: lines and spaced as some servers send
  // it (joined, its JSON holds a newline); earlier chunks say
  // "usage": null, a later [DONE] must not clear what was read.
  std::string stream =
      "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
      "data: {\"choices\":[],\ndata: \"usage\": {\"prompt_tokens\": 9, \"completion_tokens\": 2,"
      " \"total_tokens\": 11}}\n\n"
      "data: [DONE]\n\n";
  std::string relayed;
  for (std::size_t at = 0; at < stream.size(); at += 7) {
    relayed += decoder->Feed(std::string_view(stream).substr(at, 7));
  }
  EXPECT_EQ(relayed, stream);
  Outcome outcome = decoder->Finish(OkStatus());
  EXPECT_EQ(outcome.verdict, Verdict::kSuccess);
  EXPECT_EQ(outcome.status_code, 200);
  EXPECT_EQ(outcome.request_id, "req_7");
  EXPECT_EQ(outcome.usage.prompt_tokens, 9);
  EXPECT_EQ(outcome.usage.completion_tokens, 2);
  EXPECT_EQ(outcome.hints.hint(ratelimit::Budget::kTokens).remaining, 900);
}

TEST(OpenAiStreamDecoderTest, ACutStreamFailsWithItsCause) {
  auto decoder = Decoder();
  decoder->Feed("data: {\"choices\":[]}\n\n");
  Outcome outcome = decoder->Finish(DeadlineExceededError("stream_idle_timeout (1s) passed"));
  EXPECT_EQ(outcome.verdict, Verdict::kFail);
  EXPECT_EQ(outcome.status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(outcome.usage.completion_tokens, 0);
}

}  // namespace
}  // namespace sluice::providers
