// One request id and one W3C trace from the client through every upstream attempt, seen from
// outside: `sluice serve` and `sluice run` in front of `sluice mock`, whose /mock/traces lists
// the x-client-request-id, traceparent and tracestate each upstream request carried.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "common/trace_context.h"
#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);
constexpr const char* kClientTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr const char* kClientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

// What the mock saw of one upstream request.
struct Seen {
  std::string client_request_id;  // empty: none
  std::optional<TraceParent> trace;
  std::string tracestate;
  std::int64_t status = 0;
};

std::string TextOr(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : "";
}

// Every upstream request the mock on `port` saw, oldest first.
std::vector<Seen> SeenByMock(std::uint16_t port) {
  Result<RawResponse> traces = RawHttp(port, "GET", "/mock/traces", "", kTimeout);
  EXPECT_TRUE(traces.ok()) << traces.status();
  if (!traces.ok()) return {};
  std::vector<Seen> seen;
  json::value parsed = json::parse(traces->body);
  for (const json::value& entry : parsed.at("data").as_array()) {
    Seen one;
    one.client_request_id = TextOr(entry.at("x-client-request-id"));
    one.trace = ParseTraceparent(TextOr(entry.at("traceparent")));
    EXPECT_TRUE(one.trace) << json::serialize(entry);
    one.tracestate = TextOr(entry.at("tracestate"));
    one.status = entry.at("status").to_number<std::int64_t>();
    seen.push_back(std::move(one));
  }
  return seen;
}

// The value of header `name` (lower case) in `response`'s head; empty when absent.
std::string HeaderOf(const RawResponse& response, const std::string& name) {
  std::string head = response.head;
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return response.head.substr(at, response.head.find("\r\n", at) - at);
}

// Success when the attempts share one trace (`trace_id`, `flags`) and each is a span of its own.
::testing::AssertionResult OneTraceOneSpanEach(const std::vector<const Seen*>& attempts,
                                               const std::string& trace_id, std::uint8_t flags) {
  std::set<std::string> spans;
  for (const Seen* attempt : attempts) {
    if (!attempt->trace) return ::testing::AssertionFailure() << "an attempt had no traceparent";
    if (attempt->trace->trace_id != trace_id || attempt->trace->flags != flags) {
      return ::testing::AssertionFailure()
             << "trace " << FormatTraceparent(*attempt->trace) << ", want " << trace_id;
    }
    if (!spans.insert(attempt->trace->parent_id).second) {
      return ::testing::AssertionFailure()
             << "two attempts as one span " << attempt->trace->parent_id;
    }
  }
  return ::testing::AssertionSuccess();
}

class ProxyTraceTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& mock_args) {
    ASSERT_TRUE(fixture_.Start(mock_args).ok());
    Result<Serving> serving = StartServe(fixture_.config_path(), {"--log-level", "debug"});
    ASSERT_TRUE(serving.ok()) << serving.status();
    serving_ = std::move(*serving);
  }

  RawResponse Chat(const std::vector<std::string>& headers, bool stream = false) {
    std::vector<std::string> all = {"Content-Type: application/json"};
    all.insert(all.end(), headers.begin(), headers.end());
    Result<RawResponse> response = RawHttpWithHeaders(
        serving_.port, "POST", "/v1/chat/completions",
        std::string(R"({"model":"gpt-4o-mini","max_tokens":8,"stream":)") +
            (stream ? "true" : "false") + R"(,"messages":[{"role":"user","content":"Hi"}]})",
        kTimeout, all);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : RawResponse{};
  }

  RunFixture fixture_;
  Serving serving_;
};

TEST_F(ProxyTraceTest, TheClientsIdAndTraceReachTheProviderOnEveryAttemptAsNewSpans) {
  // Seed 1 fails some of the first attempts with a 500: the proxy's retries are attempts too.
  Start({"--seed", "1", "--fail-500", "0.2"});
  constexpr int kRequests = 6;
  for (int i = 0; i < kRequests; ++i) {
    std::string id = "client-" + std::to_string(i);
    RawResponse answer =
        Chat({"X-Client-Request-Id: " + id, std::string("traceparent: ") + kClientTrace,
              "tracestate: congo=t61rcWkgMzE"});
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(HeaderOf(answer, "x-sluice-request-id"), id) << answer.head;
    EXPECT_EQ(HeaderOf(answer, "x-request-id").substr(0, 4), "req_") << answer.head;
  }
  std::vector<Seen> seen = SeenByMock(fixture_.mock_port());
  ASSERT_GT(seen.size(), static_cast<std::size_t>(kRequests)) << "the seed must provoke retries";
  std::map<std::string, std::vector<const Seen*>> by_id;
  for (const Seen& attempt : seen) {
    EXPECT_EQ(attempt.tracestate, "congo=t61rcWkgMzE");
    by_id[attempt.client_request_id].push_back(&attempt);
  }
  ASSERT_EQ(by_id.size(), static_cast<std::size_t>(kRequests));
  std::vector<const Seen*> all;
  for (const auto& [id, attempts] : by_id) {
    EXPECT_EQ(attempts.back()->status, 200) << id;
    for (const Seen* attempt : attempts) {
      if (attempt != attempts.back()) {
        EXPECT_EQ(attempt->status, 500) << id;
      }
      all.push_back(attempt);
    }
  }
  // The client's parent id is the client's span; every attempt is a new child of it.
  EXPECT_TRUE(OneTraceOneSpanEach(all, kClientTraceId, 0x01));
  for (const Seen* attempt : all) EXPECT_NE(attempt->trace->parent_id, "00f067aa0ba902b7");
  EXPECT_TRUE(serving_.process->WaitForStderr("request client-0: attempt 1 on ", kTimeout).ok())
      << serving_.process->stderr_text();
}

TEST_F(ProxyTraceTest, AnInvalidTraceparentStartsANewTraceAndAnIdIsMadeForTheRequest) {
  Start({});
  // Uppercase hex is invalid; the tracestate of an invalid traceparent is dropped with it.
  RawResponse answer = Chat({"traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
                             "tracestate: congo=t61rcWkgMzE", "x-client-request-id: has spaces"});
  EXPECT_EQ(answer.status, 200) << answer.body;
  std::string id = HeaderOf(answer, "x-sluice-request-id");
  EXPECT_EQ(id.substr(0, 4), "req_") << answer.head;
  std::vector<Seen> seen = SeenByMock(fixture_.mock_port());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].client_request_id, id);
  ASSERT_TRUE(seen[0].trace);
  EXPECT_NE(seen[0].trace->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(seen[0].trace->flags, 0x00);  // sluice's own traces are not sampled
  EXPECT_TRUE(seen[0].tracestate.empty());
  EXPECT_TRUE(serving_.process->WaitForStderr("request " + id + ": attempt 1 on ", kTimeout).ok())
      << serving_.process->stderr_text();
}

TEST_F(ProxyTraceTest, AStreamCarriesTheIdAndTraceUpstreamAndTheIdBack) {
  Start({});
  RawResponse answer =
      Chat({"x-client-request-id: stream-1", std::string("traceparent: ") + kClientTrace}, true);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.body.find("data: [DONE]"), std::string::npos) << answer.body;
  EXPECT_EQ(HeaderOf(answer, "x-sluice-request-id"), "stream-1") << answer.head;
  std::vector<Seen> seen = SeenByMock(fixture_.mock_port());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].client_request_id, "stream-1");
  EXPECT_TRUE(OneTraceOneSpanEach({&seen[0]}, kClientTraceId, 0x01));
  EXPECT_TRUE(serving_.process->WaitForStderr("request stream-1: attempt 1 on ", kTimeout).ok())
      << serving_.process->stderr_text();
}

// Success when every line's attempts reached the mock (`seen`) under the line's id, in one trace
// of the line's own with a span per attempt, and `log` names the line's id in each retry's line;
// `retried` tells whether any line needed more than one attempt.
::testing::AssertionResult EachLineTracedByItsId(const std::vector<OutputLine>& lines,
                                                 const std::vector<Seen>& seen,
                                                 const std::string& log, bool& retried) {
  std::map<std::string, std::vector<const Seen*>> by_id;
  for (const Seen& attempt : seen) by_id[attempt.client_request_id].push_back(&attempt);
  if (by_id.size() != lines.size()) {
    return ::testing::AssertionFailure()
           << by_id.size() << " ids upstream for " << lines.size() << " lines";
  }
  std::set<std::string> traces;
  for (const OutputLine& line : lines) {
    std::string id(line.json.at("id").as_string());
    const std::vector<const Seen*>& attempts = by_id[id];
    if (attempts.empty() || !attempts.front()->trace) {
      return ::testing::AssertionFailure() << id << " never reached the provider under its id";
    }
    if (attempts.back()->status != 200) return ::testing::AssertionFailure() << id << " failed";
    auto one_trace = OneTraceOneSpanEach(attempts, attempts.front()->trace->trace_id, 0x00);
    if (!one_trace) return one_trace << " (" << id << ")";
    traces.insert(attempts.front()->trace->trace_id);
    // The result keeps the provider's own id for the answer, not the line's.
    if (!line.json.at("response").at("request_id").as_string().starts_with("req_")) {
      return ::testing::AssertionFailure() << id << ": not the provider's request_id";
    }
    if (attempts.size() > 1) {
      retried = true;
      std::string retry = id + " (line " + line.custom_id + " of batch ";
      std::size_t at = log.find(retry);
      if (at == std::string::npos || log.find("): attempt 2 on ", at) == std::string::npos) {
        return ::testing::AssertionFailure() << "no log line of " << id << "'s retry\n" << log;
      }
    }
  }
  if (traces.size() != lines.size()) return ::testing::AssertionFailure() << "lines share traces";
  return ::testing::AssertionSuccess();
}

// Seed 3 fails some attempts with a 500; the fixture's backoff keeps the retries short.
const std::vector<std::string> kSomeServerErrors = {"--seed", "3", "--fail-500", "0.3"};
constexpr int kLines = 20;

TEST(BatchTraceTest, EachLineOfARunCarriesItsOutputLineIdAndATraceOfItsOwn) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start(kSomeServerErrors).ok());
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(kLines));
  ProcessResult run =
      fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--log-level", "debug"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  Result<std::vector<OutputLine>> lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_TRUE(AnswersInOrder(*lines, kLines));
  bool retried = false;
  EXPECT_TRUE(EachLineTracedByItsId(*lines, SeenByMock(fixture.mock_port()), run.err, retried));
  EXPECT_TRUE(retried) << "the seed must provoke retries";
}

TEST(BatchTraceTest, EachLineOfAServedBatchCarriesItsOutputLineIdAndATraceOfItsOwn) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start(kSomeServerErrors).ok());
  Result<Serving> serving = StartServe(fixture.config_path(), {"--log-level", "debug"});
  ASSERT_TRUE(serving.ok()) << serving.status();
  UploadForm form = BatchUploadForm(RequestLines(kLines));
  Result<RawResponse> file =
      RawHttp(serving->port, "POST", "/v1/files", form.body, kTimeout, form.content_type);
  ASSERT_TRUE(file.ok() && file->status == 200) << file.status();
  std::string file_id(json::parse(file->body).at("id").as_string());
  // Every answer of the gateway names the request, not only the proxy's.
  Result<RawResponse> created = RawHttpWithHeaders(
      serving->port, "POST", "/v1/batches",
      R"({"input_file_id":")" + file_id +
          R"(","endpoint":"/v1/chat/completions","completion_window":"24h"})",
      kTimeout, {"Content-Type: application/json", "X-Client-Request-Id: create-1"});
  ASSERT_TRUE(created.ok() && created->status == 200) << created.status();
  EXPECT_EQ(HeaderOf(*created, "x-sluice-request-id"), "create-1") << created->head;
  std::string batch_id(json::parse(created->body).at("id").as_string());
  ASSERT_TRUE(serving->process->WaitForStderr("batch " + batch_id + " completed", kTimeout).ok())
      << serving->process->stderr_text();
  Result<RawResponse> batch =
      RawHttp(serving->port, "GET", "/v1/batches/" + batch_id, "", kTimeout);
  ASSERT_TRUE(batch.ok()) << batch.status();
  std::string output_id(json::parse(batch->body).at("output_file_id").as_string());
  Result<RawResponse> output =
      RawHttp(serving->port, "GET", "/v1/files/" + output_id + "/content", "", kTimeout);
  ASSERT_TRUE(output.ok()) << output.status();
  Result<std::vector<OutputLine>> lines =
      fixture.ReadOutput(fixture.WriteInput("out.jsonl", output->body));
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_TRUE(AnswersInOrder(*lines, kLines));
  bool retried = false;
  EXPECT_TRUE(EachLineTracedByItsId(*lines, SeenByMock(fixture.mock_port()),
                                    serving->process->stderr_text(), retried));
  EXPECT_TRUE(retried) << "the seed must provoke retries";
}

}  // namespace
}  // namespace sluice::test_support
