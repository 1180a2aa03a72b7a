#include "http/request_head.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

Url MustParse(std::string_view text) {
  auto url = ParseUrl(text);
  EXPECT_TRUE(url.ok()) << url.status();
  return url.ok() ? *url : Url{};
}

TEST(RequestHeadTest, WritesRequestLineFramingAndCallerFields) {
  ClientRequest request;
  request.method = "POST";
  request.body = "{}";
  request.headers.Add("authorization", "Bearer k");
  std::string out;
  WriteRequestHead(request, MustParse("http://127.0.0.1:8080/v1/x?y=1"), out);
  EXPECT_EQ(out, std::string("POST /v1/x?y=1 HTTP/1.1\r\n"
                             "authorization: Bearer k\r\n"
                             "Host: 127.0.0.1:8080\r\n"
                             "user-agent: ") +
                     std::string(UserAgent()) +
                     "\r\n"
                     "Content-Length: 2\r\n\r\n");
}

TEST(RequestHeadTest, UserAgentCarriesProjectVersion) {
  EXPECT_TRUE(UserAgent().starts_with("sluice/"));
  EXPECT_NE(UserAgent(), "sluice/unknown");
}

TEST(RequestHeadTest, KeepsCallerHostAndUserAgentButOwnsContentLength) {
  ClientRequest request;
  request.method = "PUT";
  request.headers.Add("Host", "virtual.example");
  request.headers.Add("User-Agent", "mine/1");
  request.headers.Add("Content-Length", "999");
  request.headers.Add("Transfer-Encoding", "chunked");
  std::string out;
  WriteRequestHead(request, MustParse("http://example.com/"), out);
  EXPECT_EQ(out,
            "PUT / HTTP/1.1\r\nHost: virtual.example\r\nUser-Agent: mine/1\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(RequestHeadTest, GetWithoutBodyHasNoContentLength) {
  ClientRequest request;
  request.method = "GET";
  std::string out = "stale content is replaced";
  WriteRequestHead(request, MustParse("https://example.com:8443/a"), out);
  EXPECT_EQ(out, "GET /a HTTP/1.1\r\nHost: example.com:8443\r\nuser-agent: " +
                     std::string(UserAgent()) + "\r\n\r\n");
}

TEST(RequestHeadTest, RejectsHeaderInjectionAndBadTokens) {
  ClientRequest request;
  request.headers.Add("x-ok", "fine");
  EXPECT_TRUE(ValidateRequestHead(request).ok());
  ClientRequest injected = request;
  injected.headers.Add("x-evil", "a\r\nHost: other");
  EXPECT_EQ(ValidateRequestHead(injected).code(), StatusCode::kInvalidArgument);
  ClientRequest bad_name = request;
  bad_name.headers.Add("bad name", "v");
  EXPECT_EQ(ValidateRequestHead(bad_name).code(), StatusCode::kInvalidArgument);
  ClientRequest bad_method = request;
  bad_method.method = "GET /x";
  EXPECT_EQ(ValidateRequestHead(bad_method).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::http
