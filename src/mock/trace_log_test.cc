#include "mock/trace_log.h"

#include <gtest/gtest.h>

namespace sluice::mock {
namespace {

TEST(TraceLogTest, ListsWhatEachRequestCarriedOldestFirst) {
  TraceLog log;
  EXPECT_EQ(log.ToJson(), R"({"data":[]})");
  http::Headers traced;
  traced.Add("X-Client-Request-Id", "c1");
  traced.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  traced.Add("tracestate", "congo=t61rcWkgMzE");
  log.Add("/v1/chat/completions", traced, 200);
  log.Add("/v1/embeddings", {}, 0);
  EXPECT_EQ(log.ToJson(),
            R"({"data":[{"path":"/v1/chat/completions","x-client-request-id":"c1",)"
            R"("traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",)"
            R"("tracestate":"congo=t61rcWkgMzE","status":200},)"
            R"({"path":"/v1/embeddings","x-client-request-id":null,"traceparent":null,)"
            R"("tracestate":null,"status":0}]})");
  log.Clear();
  EXPECT_TRUE(log.entries().empty());
}

TEST(TraceLogTest, KeepsOnlyTheLatestEntries) {
  TraceLog log;
  for (std::size_t i = 0; i <= TraceLog::kCapacity; ++i) {
    http::Headers headers;
    headers.Add("x-client-request-id", std::to_string(i));
    log.Add("/v1/chat/completions", headers, 200);
  }
  ASSERT_EQ(log.entries().size(), TraceLog::kCapacity);
  EXPECT_EQ(log.entries().front().client_request_id, "1");
  EXPECT_EQ(log.entries().back().client_request_id, std::to_string(TraceLog::kCapacity));
}

}  // namespace
}  // namespace sluice::mock
