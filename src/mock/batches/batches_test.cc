// The mock's batch APIs through MockApi::Handle: uploads, OpenAI's batch lifecycle and files,
// Anthropic's Message Batches, and each fault knob. Time is passed in, never waited for.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <boost/json.hpp>

#include "mock/mock_api.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

const TimePoint kNow = TimePoint(std::chrono::hours(100));
const WallTime kWall = WallTime(std::chrono::seconds(1767225600));

std::string ChatLine(std::string_view id, std::string_view text) {
  return fmt::format(
      R"({{"custom_id":"{}","method":"POST","url":"/v1/chat/completions","body":{{"model":"gpt-4o-mini","max_tokens":8,"messages":[{{"role":"user","content":"{}"}}]}}}})",
      id, text);
}

http::Request Request(std::string method, std::string target, std::string body = "") {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers.Add("host", "127.0.0.1:9");
  return r;
}

http::Request Upload(std::string content) {
  http::Request r =
      Request("POST", "/v1/files",
              "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
              "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
              "Content-Type: application/jsonl\r\n\r\n" +
                  content + "\r\n--XyZ--\r\n");
  r.headers.Add("content-type", "multipart/form-data; boundary=XyZ");
  return r;
}

json::object Json(const Reply& reply) { return json::parse(reply.response.body).as_object(); }

class OpenAiBatchTest : public ::testing::Test {
 protected:
  void Start(MockOptions options, std::string content) {
    api_ = std::make_unique<MockApi>(options);
    Reply file = api_->Handle(Upload(std::move(content)), kNow, kWall);
    ASSERT_EQ(file.response.status, 200) << file.response.body;
    json::object created = Json(
        api_->Handle(Request("POST", "/v1/batches",
                             json::serialize(json::object{{"input_file_id", Json(file).at("id")},
                                                          {"endpoint", "/v1/chat/completions"},
                                                          {"completion_window", "24h"},
                                                          {"metadata", {{"job", "t"}}}})),
                     kNow, kWall));
    id_ = std::string(created.at("id").as_string());
    EXPECT_EQ(created.at("status"), "validating");
  }
  json::object Poll(TimePoint at = kNow) {
    return Json(api_->Handle(Request("GET", "/v1/batches/" + id_), at, kWall));
  }
  std::string Content(const json::value& file_id) {
    return api_
        ->Handle(Request("GET", "/v1/files/" + std::string(file_id.as_string()) + "/content"), kNow,
                 kWall)
        .response.body;
  }
  std::unique_ptr<MockApi> api_;
  std::string id_;
};

TEST_F(OpenAiBatchTest, ABatchRunsToCompletedWithTheMocksOwnAnswersInItsOutputFile) {
  MockOptions options;
  options.batches.polls = 3;
  Start(options, ChatLine("a", "one") + "\n" + ChatLine("b", "two") + "\n");
  EXPECT_EQ(Poll().at("status"), "in_progress");
  EXPECT_EQ(Poll().at("status"), "in_progress");
  EXPECT_EQ(Poll().at("status"), "finalizing");
  json::object done = Poll();
  ASSERT_EQ(done.at("status"), "completed");
  EXPECT_EQ(done.at("request_counts").at("total"), 2);
  EXPECT_EQ(done.at("request_counts").at("completed"), 2);
  EXPECT_EQ(done.at("metadata").at("job"), "t");
  EXPECT_TRUE(done.at("error_file_id").is_null());
  EXPECT_GT(done.at("usage").at("total_tokens").as_int64(), 0);
  std::string output = Content(done.at("output_file_id"));
  std::size_t newline = output.find('\n');
  json::object line = json::parse(output.substr(0, newline)).as_object();
  EXPECT_EQ(line.at("custom_id"), "a");
  EXPECT_EQ(line.at("response").at("status_code"), 200);
  EXPECT_EQ(line.at("response").at("body").at("object"), "chat.completion");
  EXPECT_TRUE(line.at("response").at("body").at("usage").is_object());
  MockStats stats = api_->Stats();
  EXPECT_EQ(stats.batches_created, 1u);
  EXPECT_EQ(stats.batch_lines, 2u);
}

TEST_F(OpenAiBatchTest, ABatchEndsOnlyOnceItsTurnaroundHasPassed) {
  MockOptions options;
  options.batches.turnaround = std::chrono::seconds(10);
  Start(options, ChatLine("a", "one") + "\n");
  EXPECT_EQ(Poll(kNow + std::chrono::seconds(9)).at("status"), "in_progress");
  EXPECT_EQ(Poll(kNow + std::chrono::seconds(9)).at("status"), "in_progress");
  EXPECT_EQ(Poll(kNow + std::chrono::seconds(10)).at("status"), "finalizing");
}

TEST_F(OpenAiBatchTest, AnInvalidLineFailsTheBatchWithItsLineNumber) {
  Start(MockOptions(), ChatLine("a", "one") + "\nnot json\n");
  json::object failed = Poll();
  ASSERT_EQ(failed.at("status"), "failed");
  json::object error = failed.at("errors").at("data").at(0).as_object();
  EXPECT_EQ(error.at("code"), "invalid_json_line");
  EXPECT_EQ(error.at("line"), 2);
}

TEST_F(OpenAiBatchTest, ExpiredLinesGoToTheErrorFileAndTheBatchEndsExpired) {
  MockOptions options;
  options.batches.expire = 1;
  Start(options, ChatLine("a", "one") + "\n");
  Poll();
  Poll();
  json::object done = Poll();
  ASSERT_EQ(done.at("status"), "expired");
  EXPECT_EQ(done.at("request_counts").at("failed"), 1);
  json::object line = json::parse(Content(done.at("error_file_id"))).as_object();
  EXPECT_TRUE(line.at("response").is_null());
  EXPECT_EQ(line.at("error").at("code"), "batch_expired");
}

TEST_F(OpenAiBatchTest, ANeverFinishingBatchExpiresWhenItsWindowPasses) {
  MockOptions options;
  options.batches.never_finish = 1;
  options.batches.window = std::chrono::minutes(1);
  Start(options, ChatLine("a", "one") + "\n");
  Poll();
  EXPECT_EQ(Poll(kNow + std::chrono::seconds(59)).at("status"), "in_progress");
  json::object done = Poll(kNow + std::chrono::minutes(1));
  EXPECT_EQ(done.at("status"), "expired");
  EXPECT_EQ(done.at("request_counts").at("failed"), 1);
}

TEST_F(OpenAiBatchTest, AVanishedBatchIsNotFound) {
  MockOptions options;
  options.batches.vanish = 1;
  Start(options, ChatLine("a", "one") + "\n");
  Reply reply = api_->Handle(Request("GET", "/v1/batches/" + id_), kNow, kWall);
  EXPECT_EQ(reply.response.status, 404);
}

TEST_F(OpenAiBatchTest, AMalformedOutputFileDoesNotParse) {
  MockOptions options;
  options.batches.malformed_output = 1;
  Start(options, ChatLine("a", "one") + "\n" + ChatLine("b", "two") + "\n");
  Poll();
  Poll();
  json::object done = Poll();
  std::string output = Content(done.at("output_file_id"));
  boost::system::error_code ec;
  std::size_t last = output.rfind('\n', output.size() - 2);
  json::parse(output.substr(last + 1), ec);
  EXPECT_TRUE(ec);
}

TEST_F(OpenAiBatchTest, CancelGoesThroughCancellingToCancelled) {
  Start(MockOptions(), ChatLine("a", "one") + "\n");
  Poll();
  json::object cancelling =
      Json(api_->Handle(Request("POST", "/v1/batches/" + id_ + "/cancel"), kNow, kWall));
  EXPECT_EQ(cancelling.at("status"), "cancelling");
  json::object cancelled = Poll();
  EXPECT_EQ(cancelled.at("status"), "cancelled");
  json::object line = json::parse(Content(cancelled.at("error_file_id"))).as_object();
  EXPECT_EQ(line.at("error").at("code"), "batch_cancelled");
}

TEST_F(OpenAiBatchTest, TheListFindsABatchByItsMetadata) {
  Start(MockOptions(), ChatLine("a", "one") + "\n");
  json::object page = Json(api_->Handle(Request("GET", "/v1/batches?limit=5"), kNow, kWall));
  ASSERT_EQ(page.at("data").as_array().size(), 1u);
  EXPECT_EQ(page.at("data").at(0).at("metadata").at("job"), "t");
  EXPECT_EQ(page.at("has_more"), false);
}

TEST(MockFilesTest, AnUploadIsAFileObjectItsContentAndDeletable) {
  MockApi api{MockOptions()};
  json::object file = Json(api.Handle(Upload("abc\n"), kNow, kWall));
  EXPECT_EQ(file.at("object"), "file");
  EXPECT_EQ(file.at("purpose"), "batch");
  EXPECT_EQ(file.at("bytes"), 4);
  std::string id(file.at("id").as_string());
  EXPECT_EQ(api.Handle(Request("GET", "/v1/files/" + id + "/content"), kNow, kWall).response.body,
            "abc\n");
  EXPECT_EQ(Json(api.Handle(Request("DELETE", "/v1/files/" + id), kNow, kWall)).at("deleted"),
            true);
  EXPECT_EQ(api.Handle(Request("GET", "/v1/files/" + id), kNow, kWall).response.status, 404);
}

http::Request MessageBatch(std::string requests) {
  http::Request r = Request("POST", "/v1/messages/batches", R"({"requests":)" + requests + "}");
  r.headers.Add("anthropic-version", "2023-06-01");
  return r;
}

constexpr std::string_view kTwoRequests =
    R"([{"custom_id":"q-1","params":{"model":"claude-x","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}},)"
    R"({"custom_id":"q-2","params":{"model":"claude-x","messages":[{"role":"user","content":"no cap"}]}}])";

TEST(MessageBatchesTest, ABatchEndsWithSucceededAndErroredResultsAtItsResultsUrl) {
  MockOptions options;
  options.batches.polls = 2;
  MockApi api(options);
  json::object created = Json(api.Handle(MessageBatch(std::string(kTwoRequests)), kNow, kWall));
  EXPECT_EQ(created.at("type"), "message_batch");
  EXPECT_EQ(created.at("processing_status"), "in_progress");
  EXPECT_EQ(created.at("request_counts").at("processing"), 2);
  EXPECT_TRUE(created.at("results_url").is_null());
  std::string path = "/v1/messages/batches/" + std::string(created.at("id").as_string());
  EXPECT_EQ(Json(api.Handle(Request("GET", path), kNow, kWall)).at("processing_status"),
            "in_progress");
  EXPECT_EQ(api.Handle(Request("GET", path + "/results"), kNow, kWall).response.status, 400);
  json::object ended = Json(api.Handle(Request("GET", path), kNow, kWall));
  ASSERT_EQ(ended.at("processing_status"), "ended");
  EXPECT_EQ(ended.at("request_counts").at("succeeded"), 1);
  EXPECT_EQ(ended.at("request_counts").at("errored"), 1);
  EXPECT_EQ(std::string(ended.at("results_url").as_string()), "http://127.0.0.1:9" + path + "/results");
  std::string results = api.Handle(Request("GET", path + "/results"), kNow, kWall).response.body;
  json::object first = json::parse(results.substr(0, results.find('\n'))).as_object();
  EXPECT_EQ(first.at("custom_id"), "q-1");
  EXPECT_EQ(first.at("result").at("type"), "succeeded");
  EXPECT_EQ(first.at("result").at("message").at("type"), "message");
  json::object second = json::parse(results.substr(results.find('\n') + 1)).as_object();
  EXPECT_EQ(second.at("result").at("type"), "errored");
  EXPECT_EQ(second.at("result").at("error").at("error").at("type"), "invalid_request_error");
}

TEST(MessageBatchesTest, CancelEndsTheBatchWithCanceledResults) {
  MockApi api{MockOptions()};
  json::object created = Json(api.Handle(MessageBatch(std::string(kTwoRequests)), kNow, kWall));
  std::string path = "/v1/messages/batches/" + std::string(created.at("id").as_string());
  EXPECT_EQ(
      Json(api.Handle(Request("POST", path + "/cancel"), kNow, kWall)).at("processing_status"),
      "canceling");
  json::object ended = Json(api.Handle(Request("GET", path), kNow, kWall));
  EXPECT_EQ(ended.at("processing_status"), "ended");
  EXPECT_EQ(ended.at("request_counts").at("canceled"), 2);
  EXPECT_FALSE(ended.at("cancel_initiated_at").is_null());
}

TEST(MessageBatchesTest, ABadCustomIdIsRefusedInAnthropicsShape) {
  MockApi api{MockOptions()};
  Reply reply = api.Handle(MessageBatch(R"([{"custom_id":"a b","params":{}}])"), kNow, kWall);
  EXPECT_EQ(reply.response.status, 400);
  EXPECT_EQ(Json(reply).at("type"), "error");
  EXPECT_EQ(Json(reply).at("error").at("message"),
            "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
}

TEST(MessageBatchesTest, ExpiredLinesComeBackAsExpired) {
  MockOptions options;
  options.batches.expire = 1;
  MockApi api(options);
  json::object created = Json(api.Handle(MessageBatch(std::string(kTwoRequests)), kNow, kWall));
  std::string path = "/v1/messages/batches/" + std::string(created.at("id").as_string());
  EXPECT_EQ(Json(api.Handle(Request("GET", path), kNow, kWall)).at("request_counts").at("expired"),
            2);
}

}  // namespace
}  // namespace sluice::mock
