// Tests the response head serializer: framing fields, connection handling, header injection.
#include "http/response_head.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

TEST(ResponseHeadTest, WritesStatusLineFieldsAndContentLength) {
  Headers headers;
  headers.Add("content-type", "application/json");
  std::string out;
  bool close = WriteResponseHead({.status = 200, .content_length = 12}, headers, out);
  EXPECT_FALSE(close);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n");
}

TEST(ResponseHeadTest, StreamsUseChunkedFraming) {
  std::string out;
  WriteResponseHead({.status = 200, .content_length = std::nullopt}, Headers(), out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
}

TEST(ResponseHeadTest, ServerOwnsFramingFieldsAndHonoursHandlerClose) {
  Headers headers;
  headers.Add("Content-Length", "999");
  headers.Add("Transfer-Encoding", "gzip");
  headers.Add("Connection", "close");
  std::string out;
  bool close = WriteResponseHead({.status = 404, .content_length = 0}, headers, out);
  EXPECT_TRUE(close);
  EXPECT_EQ(out, "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
}

TEST(ResponseHeadTest, DropsFieldsThatWouldSplitTheResponse) {
  Headers headers;
  headers.Add("x-ok", "fine");
  headers.Add("x-evil", "a\r\nset-cookie: b");
  std::string out;
  WriteResponseHead({.status = 200, .content_length = 0}, headers, out);
  EXPECT_EQ(out.find("set-cookie"), std::string::npos);
  EXPECT_NE(out.find("x-ok: fine\r\n"), std::string::npos);
}

TEST(ResponseHeadTest, NoBodyStatusesGetNoFramingAndKeepAliveIsAnnouncedForHttp10) {
  std::string out;
  WriteResponseHead({.status = 204, .content_length = 0, .close = false, .keep_alive = true},
                    Headers(), out);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\nconnection: keep-alive\r\n\r\n");
}

TEST(ResponseHeadTest, ReusesTheOutputBuffer) {
  std::string out = "stale bytes that must go";
  WriteResponseHead({.status = 200, .content_length = 0}, Headers(), out);
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

}  // namespace
}  // namespace sluice::http
