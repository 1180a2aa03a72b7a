#include "http/request_trace.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

constexpr std::string_view kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

Headers With(std::initializer_list<Headers::Field> fields) {
  Headers headers;
  for (const Headers::Field& field : fields) headers.Add(field.name, field.value);
  return headers;
}

TEST(IsUsableRequestIdTest, VisibleAsciiUpToTheLimit) {
  EXPECT_TRUE(IsUsableRequestId("req_123"));
  EXPECT_TRUE(IsUsableRequestId("0b6ce3b2-6b6d-4d6b-9b5e-0f0c3f8f2c11"));
  EXPECT_TRUE(IsUsableRequestId(std::string(kMaxRequestIdSize, 'a')));
  EXPECT_FALSE(IsUsableRequestId(std::string(kMaxRequestIdSize + 1, 'a')));
  EXPECT_FALSE(IsUsableRequestId(""));
  EXPECT_FALSE(IsUsableRequestId("two words"));
  EXPECT_FALSE(IsUsableRequestId("line\nbreak"));
  EXPECT_FALSE(IsUsableRequestId("caf\xc3\xa9"));
}

TEST(TraceOfRequestTest, PrefersTheClientRequestIdThenTheRequestId) {
  EXPECT_EQ(
      TraceOfRequest(With({{"X-Request-Id", "r1"}, {"X-Client-Request-Id", "c1"}})).request_id,
      "c1");
  EXPECT_EQ(TraceOfRequest(With({{"x-request-id", "r1"}})).request_id, "r1");
  // An unusable client id does not hide a usable x-request-id.
  EXPECT_EQ(
      TraceOfRequest(With({{"x-client-request-id", "no good"}, {"x-request-id", "r1"}})).request_id,
      "r1");
}

TEST(TraceOfRequestTest, MakesAnIdWhenNoneIsUsable) {
  std::string id =
      TraceOfRequest(With({{"x-client-request-id", std::string(200, 'a')}})).request_id;
  EXPECT_EQ(id.substr(0, 4), "req_");
  EXPECT_EQ(id.size(), 4u + 24u);
  EXPECT_NE(TraceOfRequest({}).request_id, TraceOfRequest({}).request_id);
}

TEST(TraceOfRequestTest, KeepsAValidTraceparentAndItsTracestate) {
  RequestTrace trace = TraceOfRequest(With({{"traceparent", std::string(kTraceparent)},
                                            {"tracestate", "congo=t61rcWkgMzE"},
                                            {"Tracestate", "rojo=00f067aa0ba902b7"}}));
  EXPECT_EQ(FormatTraceparent(trace.trace), kTraceparent);
  EXPECT_EQ(trace.tracestate, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
}

TEST(TraceOfRequestTest, StartsANewTraceForAnInvalidTraceparentAndDropsItsTracestate) {
  RequestTrace trace = TraceOfRequest(
      With({{"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"},
            {"tracestate", "congo=t61rcWkgMzE"}}));
  EXPECT_EQ(trace.trace.trace_id.size(), 32u);
  EXPECT_NE(trace.trace.trace_id, "00000000000000000000000000000000");
  EXPECT_EQ(trace.trace.flags, 0);
  EXPECT_TRUE(trace.tracestate.empty());
}

TEST(TraceOfRequestTest, TwoTraceparentsAreNoTraceparent) {
  RequestTrace trace = TraceOfRequest(With(
      {{"traceparent", std::string(kTraceparent)}, {"traceparent", std::string(kTraceparent)}}));
  EXPECT_NE(trace.trace.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(TraceOfRequestTest, DropsATracestateThatIsNotPrintable) {
  RequestTrace trace =
      TraceOfRequest(With({{"traceparent", std::string(kTraceparent)}, {"tracestate", "a=\x01"}}));
  EXPECT_EQ(trace.trace.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_TRUE(trace.tracestate.empty());
}

TEST(StampUpstreamAttemptTest, EachAttemptIsANewSpanOfTheSameTrace) {
  RequestTrace trace = TraceOfRequest(With({{"x-client-request-id", "c1"},
                                            {"traceparent", std::string(kTraceparent)},
                                            {"tracestate", "congo=t61rcWkgMzE"}}));
  Headers first;
  Headers second;
  std::string sent = StampUpstreamAttempt(trace, first);
  StampUpstreamAttempt(trace, second);
  EXPECT_EQ(first.Get("traceparent"), sent);
  EXPECT_EQ(first.Get("x-client-request-id"), "c1");
  EXPECT_EQ(first.Get("tracestate"), "congo=t61rcWkgMzE");
  std::optional<TraceParent> a = ParseTraceparent(*first.Get("traceparent"));
  std::optional<TraceParent> b = ParseTraceparent(*second.Get("traceparent"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(b->trace_id, a->trace_id);
  EXPECT_EQ(a->flags, 0x01);
  EXPECT_NE(a->parent_id, "00f067aa0ba902b7");
  EXPECT_NE(a->parent_id, b->parent_id);
}

TEST(StampUpstreamAttemptTest, ReplacesWhatTheHeadersHadAndSendsNoEmptyTracestate) {
  Headers headers;
  headers.Add("x-client-request-id", "old");
  headers.Add("tracestate", "old=1");
  StampUpstreamAttempt(NewRequestTrace("batch_req_1"), headers);
  EXPECT_EQ(headers.GetAll("x-client-request-id"), (std::vector<std::string_view>{"batch_req_1"}));
  EXPECT_FALSE(headers.Get("tracestate"));
  EXPECT_EQ(headers.GetAll("traceparent").size(), 1u);
}

}  // namespace
}  // namespace sluice::http
