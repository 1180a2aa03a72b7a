#include "batch/failure_code.h"

#include <gtest/gtest.h>

namespace sluice::batch {
namespace {

ResultRecord Failed(int status, std::string body, std::string error_code = "") {
  ResultRecord result;
  result.status_code = status;
  result.body = std::move(body);
  result.error_code = std::move(error_code);
  return result;
}

TEST(FailureCodeTest, ItsOwnCodeThenTheBodysCodeThenTypeThenTheStatus) {
  EXPECT_EQ(FailureCodeOf(Failed(0, "", "upstream_timeout")), "upstream_timeout");
  EXPECT_EQ(FailureCodeOf(Failed(400, R"({"error":{"type":"invalid_request_error",)"
                                      R"("code":"context_length_exceeded"}})")),
            "context_length_exceeded");
  EXPECT_EQ(FailureCodeOf(Failed(500, R"({"error":{"type":"server_error","code":null}})")),
            "server_error");
  EXPECT_EQ(FailureCodeOf(Failed(502, "<html>bad gateway</html>")), "http_502");
  EXPECT_EQ(FailureCodeOf(Failed(404, R"({"error":"not an object"})")), "http_404");
}

}  // namespace
}  // namespace sluice::batch
