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

TEST(OutputLineTest, GarbageBodyIsEmbeddedAsAString) {
  ResultRecord r;
  r.custom_id = "q";
  r.status_code = 502;
  r.body = "<html>bad gateway\n</html>\x01";
  simdjson::dom::parser parser;
  auto root = Parse(parser, FormatResultLine(r, "b"));
  EXPECT_EQ(std::string_view(root["response"]["body"]), "<html>bad gateway\n</html>\x01");
}

}  // namespace
}  // namespace sluice::batch
