#include "batch/output_line.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace sluice::batch {
namespace {

simdjson::dom::element Parse(simdjson::dom::parser& parser, const std::string& line) {
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(line).get(element), simdjson::SUCCESS) << line;
  return element;
}

TEST(OutputLineTest, SuccessCarriesTheResponse) {
  ResultRecord r;
  r.index = 4;
  r.custom_id = "q-\"1\"";
  r.success = true;
  r.status_code = 200;
  r.request_id = "req_1";
  r.body = R"({"id":"chatcmpl-1","choices":[]})";
  std::string line = FormatResultLine(r, "batch_x");
  simdjson::dom::parser parser;
  auto root = Parse(parser, line);
  EXPECT_EQ(std::string_view(root["custom_id"]), "q-\"1\"");
  EXPECT_EQ(int64_t(root["response"]["status_code"]), 200);
  EXPECT_EQ(std::string_view(root["response"]["body"]["id"]), "chatcmpl-1");
  EXPECT_TRUE(root["error"].is_null());
  EXPECT_EQ(std::string_view(root["id"]).substr(0, 10), "batch_req_");
  EXPECT_EQ(line, FormatResultLine(r, "batch_x"));  // stable ids
  EXPECT_NE(line, FormatResultLine(r, "batch_y"));
}

TEST(OutputLineTest, AFallbacksAnswerNamesTheModelThatGaveIt) {
  ResultRecord r;
  r.custom_id = "q";
  r.success = true;
  r.status_code = 200;
  r.body = R"({"id":"chatcmpl-1","model":"gpt-4o"})";
  simdjson::dom::parser parser;
  auto own = Parse(parser, FormatResultLine(r, "b"));
  EXPECT_EQ(own["fallback_model"].error(), simdjson::NO_SUCH_FIELD);
  r.model = "smart";
  auto fallen_back = Parse(parser, FormatResultLine(r, "b"));
  EXPECT_EQ(std::string_view(fallen_back["fallback_model"]), "smart");
  EXPECT_EQ(std::string_view(fallen_back["response"]["body"]["model"]), "gpt-4o");
}

TEST(OutputLineTest, ErrorWithoutResponse) {
  ResultRecord r;
  r.custom_id = "q";
  r.error_code = "batch_expired";
  r.error_message = "This request could not be executed before the completion window expired.";
  simdjson::dom::parser parser;
  auto root = Parse(parser, FormatResultLine(r, "b"));
  EXPECT_TRUE(root["response"].is_null());
  EXPECT_EQ(std::string_view(root["error"]["code"]), "batch_expired");
}

TEST(OutputLineTest, GarbageBodyBecomesAnErrorLineNamingTheStatus) {
  ResultRecord r;
  r.custom_id = "q";
  r.status_code = 502;
  r.body = "<html>bad gateway\n</html>\x01\xc3";
  std::string line = FormatResultLine(r, "b");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  simdjson::dom::parser parser;
  auto root = Parse(parser, line);
  EXPECT_TRUE(root["response"].is_null());
  EXPECT_EQ(std::string_view(root["error"]["code"]), "upstream_invalid_response");
  EXPECT_EQ(std::string_view(root["error"]["message"]),
            "upstream answered HTTP 502 with a body that is not JSON (27 bytes): "
            "<html>bad gateway </html>  ");
}

TEST(OutputLineTest, IndentedBodyIsReserialisedOnOneLine) {
  ResultRecord r;
  r.custom_id = "q";
  r.success = true;
  r.status_code = 200;
  // As OpenAI answers: JSON.stringify(body, null, 2), an embedding one float per line, CRLF,
  // tabs, and strings holding escaped newlines and spaces that must survive.
  r.body =
      "{\n  \"object\": \"list\",\r\n  \"data\": [\n    {\n      \"embedding\": [\n"
      "        0.0023064255,\n        -0.009327292,\n        1e-7\n      ],\n"
      "\t\"text\": \"line one\\nline  two\\r\\n\\\"quoted\\\" { [ , ]\"\n    }\n  ],\n"
      "  \"zeta\": 1, \"alpha\": 12345678901234567890\n}\n";
  std::string line = FormatResultLine(r, "b");
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_NE(
      line.find(R"("body":{"object":"list","data":[{"embedding":[0.0023064255,-0.009327292,1e-7],)"
                R"("text":"line one\nline  two\r\n\"quoted\" { [ , ]"}],"zeta":1,)"
                R"("alpha":12345678901234567890}})"),
      std::string::npos)
      << line;
  simdjson::dom::parser parser;
  auto root = Parse(parser, line);
  EXPECT_EQ(std::string_view(root["response"]["body"]["data"].at(0)["text"]),
            "line one\nline  two\r\n\"quoted\" { [ , ]");
}

TEST(OutputLineTest, ErrorCodeWinsOverAResponse) {
  ResultRecord r;
  r.custom_id = "q";
  r.status_code = 401;
  r.body = R"({"error":{"message":"Incorrect API key provided"}})";
  r.error_code = "upstream_credentials_rejected";
  r.error_message = "upstream provider rejected sluice's credentials for deployment m#0 (HTTP 401)";
  simdjson::dom::parser parser;
  auto root = Parse(parser, FormatResultLine(r, "b"));
  EXPECT_TRUE(root["response"].is_null());
  EXPECT_EQ(std::string_view(root["error"]["code"]), "upstream_credentials_rejected");
  EXPECT_EQ(std::string_view(root["error"]["message"]), r.error_message);
}

}  // namespace
}  // namespace sluice::batch
