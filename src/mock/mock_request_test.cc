#include "mock/mock_request.h"

#include <gtest/gtest.h>

namespace sluice::mock {
namespace {

ParsedRequest Chat(std::string_view body) {
  return ParseMockRequest(Endpoint::kChatCompletions, body);
}

TEST(MockRequestTest, ReadsChatFieldsAndEstimatesTheCharge) {
  ParsedRequest p = Chat(R"({"model":"gpt-4o-mini","max_tokens":50,"n":2,
    "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"}]})");
  ASSERT_FALSE(p.error) << p.error->message;
  EXPECT_EQ(p.request.model, "gpt-4o-mini");
  EXPECT_EQ(p.request.prompt_chars, 9 + 11);
  EXPECT_EQ(p.request.PromptTokens(), 5);  // ceil(20 / 4)
  EXPECT_EQ(p.request.max_tokens, 50);
  EXPECT_EQ(p.request.n, 2);
  EXPECT_EQ(p.request.echo_text, "Hello there");
  EXPECT_EQ(p.request.AdmissionCost(16), 5 + 2 * 50);
}

TEST(MockRequestTest, MaxCompletionTokensWinsAndDefaultAppliesWhenNoneIsSet) {
  ParsedRequest both = Chat(R"({"model":"m","max_tokens":5,"max_completion_tokens":7,
    "messages":[{"role":"user","content":"abcd"}]})");
  EXPECT_EQ(both.request.max_tokens, 7);
  ParsedRequest none = Chat(R"({"model":"m","messages":[{"role":"user","content":"abcd"}]})");
  EXPECT_FALSE(none.request.max_tokens.has_value());
  EXPECT_EQ(none.request.AdmissionCost(16), 1 + 16);
}

TEST(MockRequestTest, CountsTextPartsAndUnicodeCharacters) {
  ParsedRequest p = Chat(R"({"model":"m","messages":[{"role":"user","content":[
    {"type":"text","text":"héllo"},{"type":"image_url","image_url":{"url":"x"}}]}]})");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.request.prompt_chars, 5);
}

TEST(MockRequestTest, ReadsStreamOptions) {
  ParsedRequest p = Chat(R"({"model":"m","stream":true,"stream_options":{"include_usage":true},
    "messages":[{"role":"user","content":"x"}]})");
  ASSERT_FALSE(p.error);
  EXPECT_TRUE(p.request.stream);
  EXPECT_TRUE(p.request.include_usage);
}

struct BadCase {
  std::string_view body;
  std::string_view message_part;
  std::optional<std::string> param;
};

TEST(MockRequestTest, RejectsBadChatBodiesWithOpenAiMessages) {
  const BadCase cases[] = {
      {"not json", "We could not parse the JSON body", std::nullopt},
      {"[1,2]", "We could not parse the JSON body", std::nullopt},
      {R"({"messages":[{"role":"user","content":"x"}]})", "you must provide a model parameter",
       std::nullopt},
      {R"({"model":7,"messages":[]})", "Invalid type for 'model'", "model"},
      {R"({"model":"m"})", "Missing required parameter: 'messages'.", "messages"},
      {R"({"model":"m","messages":"hi"})",
       "Invalid type for 'messages': expected an array of objects, but got a string instead.",
       "messages"},
      {R"({"model":"m","messages":[]})", "empty array", "messages"},
      {R"({"model":"m","messages":[{"content":"x"}]})", "Missing required parameter",
       "messages[0].role"},
      {R"({"model":"m","messages":[{"role":"robot","content":"x"}]})", "Invalid value: 'robot'",
       "messages[0].role"},
      {R"({"model":"m","messages":[{"role":"user","content":5}]})", "Invalid type for",
       "messages[0].content"},
      {R"({"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]})",
       "integer below minimum value", "max_tokens"},
      {R"({"model":"m","max_tokens":"9","messages":[{"role":"user","content":"x"}]})",
       "Invalid type for 'max_tokens'", "max_tokens"},
      {R"({"model":"m","n":129,"messages":[{"role":"user","content":"x"}]})",
       "integer above maximum value", "n"},
      {R"({"model":"m","stream":"yes","messages":[{"role":"user","content":"x"}]})",
       "Invalid type for 'stream'", "stream"},
      {R"({"model":"m","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]})",
       "only allowed when 'stream' is enabled", "stream_options"},
  };
  for (const BadCase& c : cases) {
    ParsedRequest p = Chat(c.body);
    ASSERT_TRUE(p.error.has_value()) << c.body;
    EXPECT_EQ(p.error->status, 400);
    EXPECT_EQ(p.error->type, "invalid_request_error");
    EXPECT_NE(p.error->message.find(c.message_part), std::string::npos)
        << c.body << " -> " << p.error->message;
    EXPECT_EQ(p.error->param, c.param) << c.body;
  }
}

TEST(MockRequestTest, ReadsEveryEmbeddingInputForm) {
  ParsedRequest one =
      ParseMockRequest(Endpoint::kEmbeddings, R"({"model":"e","input":"abcdefgh"})");
  ASSERT_FALSE(one.error);
  EXPECT_EQ(one.request.input_hashes.size(), 1u);
  EXPECT_EQ(one.request.PromptTokens(), 2);
  EXPECT_EQ(one.request.AdmissionCost(16), 2);  // no output charge for embeddings

  ParsedRequest many = ParseMockRequest(
      Endpoint::kEmbeddings, R"({"model":"e","input":["a","bb"],"encoding_format":"base64",
      "dimensions":8})");
  ASSERT_FALSE(many.error);
  EXPECT_EQ(many.request.input_hashes.size(), 2u);
  EXPECT_TRUE(many.request.base64);
  EXPECT_EQ(many.request.dimensions, 8);
  EXPECT_NE(many.request.input_hashes[0], many.request.input_hashes[1]);

  ParsedRequest tokens =
      ParseMockRequest(Endpoint::kEmbeddings, R"({"model":"e","input":[1,2,3]})");
  ASSERT_FALSE(tokens.error);
  EXPECT_EQ(tokens.request.input_hashes.size(), 1u);
  EXPECT_EQ(tokens.request.PromptTokens(), 3);

  ParsedRequest arrays =
      ParseMockRequest(Endpoint::kEmbeddings, R"({"model":"e","input":[[1,2],[3]]})");
  ASSERT_FALSE(arrays.error);
  EXPECT_EQ(arrays.request.input_hashes.size(), 2u);
  EXPECT_EQ(arrays.request.PromptTokens(), 3);
}

TEST(MockRequestTest, RejectsBadEmbeddingInputs) {
  for (std::string_view body :
       {R"({"model":"e"})", R"({"model":"e","input":""})", R"({"model":"e","input":[]})",
        R"({"model":"e","input":[1,"a"]})", R"({"model":"e","input":{"a":1}})",
        R"({"model":"e","input":"x","encoding_format":"int8"})"}) {
    EXPECT_TRUE(ParseMockRequest(Endpoint::kEmbeddings, body).error.has_value()) << body;
  }
}

TEST(MockRequestTest, ReadsLegacyCompletionPrompt) {
  ParsedRequest p = ParseMockRequest(Endpoint::kCompletions,
                                     R"({"model":"gpt-3.5-turbo-instruct","prompt":"Say this",
                                     "max_tokens":7})");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.request.echo_text, "Say this");
  EXPECT_EQ(p.request.AdmissionCost(16), 2 + 7);
  EXPECT_TRUE(ParseMockRequest(Endpoint::kCompletions, R"({"model":"m"})").error.has_value());
}

TEST(MockRequestTest, EchoTextIsCappedAtACharacterBoundary) {
  std::string text(kMaxEchoBytes - 1, 'a');
  text += "é and more";
  ParsedRequest p =
      Chat(R"({"model":"m","messages":[{"role":"user","content":")" + text + R"("}]})");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.request.echo_text, std::string(kMaxEchoBytes - 1, 'a'));
}

}  // namespace
}  // namespace sluice::mock
