#include "batch/request_line.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::batch {
namespace {

Line MakeLine(std::string_view text, std::int64_t number = 1) {
  Line line;
  line.number = number;
  line.text = text;
  line.length = text.size();
  return line;
}

constexpr std::string_view kChat =
    R"({"custom_id":"q-1","method":"POST","url":"/v1/chat/completions",)"
    R"("body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"max_tokens":5}})";

std::string CodeOf(const std::variant<RequestLine, LineError>& result) {
  if (std::holds_alternative<RequestLine>(result)) return "ok";
  return std::get<LineError>(result).code;
}

TEST(RequestLineParserTest, AcceptsAValidChatLine) {
  RequestLineParser parser({});
  auto result = parser.Parse(MakeLine(kChat, 7));
  ASSERT_TRUE(std::holds_alternative<RequestLine>(result));
  const auto& request = std::get<RequestLine>(result);
  EXPECT_EQ(request.custom_id, "q-1");
  EXPECT_EQ(request.model, "gpt-4o-mini");
  EXPECT_EQ(request.endpoint, Endpoint::kChatCompletions);
  EXPECT_EQ(request.line, 7);
  EXPECT_NE(request.body.find(R"("max_tokens":5)"), std::string::npos);
}

TEST(RequestLineParserTest, RejectsBadJsonWithLineNumber) {
  RequestLineParser parser({});
  auto result = parser.Parse(MakeLine("{not json", 3));
  ASSERT_EQ(CodeOf(result), "invalid_json_line");
  EXPECT_EQ(std::get<LineError>(result).line, 3);
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine("[1,2]"))), "invalid_json_line");
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine("{\"custom_id\":\"\xff\xfe\"}"))), "invalid_json_line");
}

TEST(RequestLineParserTest, RejectsDuplicateCustomId) {
  RequestLineParser parser({});
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine(kChat, 1))), "ok");
  auto again = parser.Parse(MakeLine(kChat, 2));
  ASSERT_EQ(CodeOf(again), "duplicate_custom_id");
  EXPECT_EQ(std::get<LineError>(again).param, "custom_id");
  EXPECT_EQ(std::get<LineError>(again).custom_id, "q-1");
}

TEST(RequestLineParserTest, ManyDistinctIdsPassAndARepeatIsCaughtAfterGrowth) {
  RequestLineParser parser({});
  auto line_for = [](int i) {
    return R"({"custom_id":"id-)" + std::to_string(i) +
           R"(","method":"POST","url":"/v1/embeddings","body":{"model":"m","input":"x"}})";
  };
  for (int i = 0; i < 5000; ++i) {
    std::string text = line_for(i);
    ASSERT_EQ(CodeOf(parser.Parse(MakeLine(text, i + 1))), "ok") << i;
  }
  std::string again = line_for(17);
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine(again, 5001))), "duplicate_custom_id");
}

TEST(RequestLineParserTest, NamesEachMissingOrWrongField) {
  RequestLineParser parser({});
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine(R"({"method":"POST"})"))), "missing_required_parameter");
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine(R"({"custom_id":5})"))), "invalid_request");
  EXPECT_EQ(CodeOf(parser.Parse(
                MakeLine(R"({"custom_id":"a","method":"GET","url":"/v1/embeddings","body":{}})"))),
            "invalid_request");
  EXPECT_EQ(CodeOf(parser.Parse(
                MakeLine(R"({"custom_id":"a","method":"POST","url":"/v1/images","body":{}})"))),
            "invalid_url");
  auto no_model = parser.Parse(
      MakeLine(R"({"custom_id":"a","method":"POST","url":"/v1/embeddings","body":{"input":"x"}})"));
  ASSERT_EQ(CodeOf(no_model), "missing_required_parameter");
  EXPECT_EQ(std::get<LineError>(no_model).param, "body.model");
  EXPECT_EQ(CodeOf(parser.Parse(
                MakeLine(R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions",)"
                         R"("body":{"model":"m","messages":[]}})"))),
            "invalid_request");
  EXPECT_EQ(CodeOf(parser.Parse(
                MakeLine(R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions",)"
                         R"("body":{"model":"m","messages":[{}],"stream":true}})"))),
            "streaming_unsupported");
}

TEST(RequestLineParserTest, EnforcesBatchEndpointAndKnownModels) {
  RequestLineParser parser(
      {Endpoint::kEmbeddings, [](std::string_view model) { return model == "known"; }});
  EXPECT_EQ(CodeOf(parser.Parse(MakeLine(kChat))), "url_mismatch");
  EXPECT_EQ(
      CodeOf(parser.Parse(MakeLine(R"({"custom_id":"e","method":"POST","url":"/v1/embeddings",)"
                                   R"("body":{"model":"other","input":"x"}})"))),
      "model_not_found");
  EXPECT_EQ(
      CodeOf(parser.Parse(MakeLine(R"({"custom_id":"e","method":"POST","url":"/v1/embeddings",)"
                                   R"("body":{"model":"known","input":"x"}})"))),
      "ok");
}

TEST(RequestLineParserTest, OversizedLineIsReported) {
  RequestLineParser parser({});
  Line line;
  line.number = 9;
  line.length = 99999999;
  line.oversized = true;
  EXPECT_EQ(CodeOf(parser.Parse(line)), "line_too_large");
}

TEST(RequestLineParserTest, BlankLines) {
  EXPECT_TRUE(IsBlankLine(""));
  EXPECT_TRUE(IsBlankLine(" \t\r"));
  EXPECT_FALSE(IsBlankLine(" {}"));
}

}  // namespace
}  // namespace sluice::batch
