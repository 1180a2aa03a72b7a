// GET /v1/batches/{id}/events through `sluice serve` (in front of `sluice mock`): the stream
// starts with the batch, carries its progress, and ends with its terminal status; an unknown id is
// a 404 in OpenAI's shape, not a stream.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
constexpr auto kTimeout = std::chrono::seconds(30);

struct Event {
  std::string name;
  json::object batch;
};

// The events of an SSE body ("event: x\ndata: {...}\n\n" each); comment lines are skipped.
std::vector<Event> ParseEvents(const std::string& body) {
  std::vector<Event> events;
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.find("\n\n", at);
    if (end == std::string::npos) break;
    std::string block = body.substr(at, end - at);
    at = end + 2;
    if (block.starts_with(":")) continue;
    std::size_t data = block.find("\ndata: ");
    if (!block.starts_with("event: ") || data == std::string::npos) {
      ADD_FAILURE() << "not an event: " << block;
      continue;
    }
    boost::system::error_code ec;
    json::value batch = json::parse(block.substr(data + 7), ec);
    EXPECT_FALSE(ec) << block;
    events.push_back({block.substr(7, data - 7), batch.is_object() ? batch.get_object() : json::object{}});
  }
  EXPECT_EQ(at, body.size()) << "the stream ends after a whole event";
  return events;
}

class ServeEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 2 at a time, 100 ms each: 40 lines take about 2 s, long enough to see progress.
    ASSERT_TRUE(fixture_
                    .Start({"--ttfb", "100ms"}, {.api_key = "sk-test",
                                                 .rpm = 1000000,
                                                 .tpm = 1000000000,
                                                 .max_in_flight = 2,
                                                 .timeout = ""})
                    .ok());
    Result<Serving> serving = StartServe(fixture_.config_path());
    ASSERT_TRUE(serving.ok()) << serving.status();
    serve_ = std::move(serving->process);
    port_ = serving->port;
  }

  json::object Call(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& type = "application/json") {
    auto response = RawHttp(port_, method, target, body, kTimeout, type);
    EXPECT_TRUE(response.ok()) << response.status();
    boost::system::error_code ec;
    json::value parsed = json::parse(response.ok() ? response->body : "", ec);
    return !ec && parsed.is_object() ? parsed.get_object() : json::object{};
  }

  RunFixture fixture_;
  std::unique_ptr<Process> serve_;
  std::uint16_t port_ = 0;
};

TEST_F(ServeEventsTest, TheStreamCarriesProgressAndEndsWithTheTerminalStatus) {
  UploadForm form = BatchUploadForm(RequestLines(40));
  std::string file_id(Call("POST", "/v1/files", form.body, form.content_type)["id"].as_string());
  json::object created = Call("POST", "/v1/batches",
                              R"({"input_file_id":")" + file_id +
                                  R"(","endpoint":"/v1/chat/completions","completion_window":"24h"})");
  std::string id(created["id"].as_string());

  auto stream = RawHttp(port_, "GET", "/v1/batches/" + id + "/events", "", kTimeout);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ(stream->status, 200);
  EXPECT_THAT(stream->head, HasSubstr("text/event-stream"));
  std::vector<Event> events = ParseEvents(stream->body);
  ASSERT_GE(events.size(), 3u) << stream->body;
  EXPECT_EQ(events.front().name, "status");
  EXPECT_EQ(events.back().name, "status");
  EXPECT_EQ(events.back().batch["status"], "completed");
  EXPECT_EQ(events.back().batch["request_counts"].as_object()["completed"], 40);
  std::int64_t done = 0;
  bool progressed = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].batch["id"], json::value(id));
    std::int64_t now = events[i].batch["request_counts"].as_object()["completed"].as_int64();
    EXPECT_GE(now, done) << "counts never go back";
    progressed |= events[i].name == "progress" && now > done;
    done = now;
    if (i > 0 && events[i].name == "status") {
      EXPECT_NE(events[i].batch["status"], events[i - 1].batch["status"]);
    }
  }
  EXPECT_TRUE(progressed) << "some event reported counts moving within a status";

  // A finished batch's stream is its terminal state at once.
  auto again = RawHttp(port_, "GET", "/v1/batches/" + id + "/events", "", kTimeout);
  ASSERT_TRUE(again.ok());
  std::vector<Event> replay = ParseEvents(again->body);
  ASSERT_EQ(replay.size(), 1u) << again->body;
  EXPECT_EQ(replay[0].batch["status"], "completed");
}

TEST_F(ServeEventsTest, AnUnknownBatchIsA404NotAStream) {
  auto response = RawHttp(port_, "GET", "/v1/batches/batch_nope/events", "", kTimeout);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 404);
  EXPECT_THAT(response->body, HasSubstr(R"("message":"No such Batch object: batch_nope")"));
  auto post = RawHttp(port_, "POST", "/v1/batches/batch_nope/events", "", kTimeout);
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 405);
}

}  // namespace
}  // namespace sluice::test_support
