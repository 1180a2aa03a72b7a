#include "provider_batch/line_results.h"

#include <gtest/gtest.h>

namespace sluice::provider_batch {
namespace {

// Decodes as OpenAI's adapter does: 2xx succeed, 5xx retry, other statuses fail; usage read.
class FakeApi : public BatchApi {
 public:
  boost::asio::awaitable<Result<std::string>> Submit(std::string,
                                                     std::vector<UpstreamRequest>) override {
    co_return std::string();
  }
  boost::asio::awaitable<Result<std::optional<std::string>>> Find(std::string, FindHint) override {
    co_return std::optional<std::string>();
  }
  boost::asio::awaitable<Result<UpstreamStatus>> Poll(std::string) override {
    co_return UpstreamStatus{};
  }
  boost::asio::awaitable<Result<UpstreamResults>> Fetch(UpstreamStatus) override {
    co_return UpstreamResults{};
  }
  boost::asio::awaitable<Status> Cancel(std::string) override { co_return OkStatus(); }
  providers::Outcome Decode(const http::Response& response) const override {
    providers::Outcome o;
    o.status_code = response.status;
    o.body = response.body;
    o.verdict = response.status < 300    ? providers::Verdict::kSuccess
                : response.status >= 500 ? providers::Verdict::kRetry
                                         : providers::Verdict::kFail;
    if (o.verdict == providers::Verdict::kSuccess) {
      o.usage = {1000000, 1000000, 2000000, 0, 0};
    }
    return o;
  }
};

batch::LeasedItem Item(std::int64_t index) {
  batch::LeasedItem leased;
  leased.item.index = index;
  leased.item.custom_id = "client-" + std::to_string(index);
  return leased;
}

UpstreamLine Answer(std::int64_t index, int status) {
  UpstreamLine line;
  line.custom_id = UpstreamCustomId(index);
  line.response = http::Response{status, {}, "{}"};
  return line;
}

TEST(LineResultsTest, ResultsAreMatchedByCustomIdNotByOrder) {
  FakeApi api;
  UpstreamResults results;
  results.lines = {Answer(2, 400), Answer(0, 200)};
  UpstreamLine expired;
  expired.custom_id = UpstreamCustomId(1);
  expired.error_code = "batch_expired";
  results.lines.push_back(expired);
  ResolveOptions options;
  options.prices = Discounted({2.0, 1.0, 8.0}, 0.5);
  LineVerdicts v = ResolveLines({Item(0), Item(1), Item(2)}, results, api, {{1, 1}}, options);
  ASSERT_EQ(v.results.size(), 2u);
  EXPECT_EQ(v.results[0].custom_id, "client-0");
  EXPECT_TRUE(v.results[0].success);
  // 1M prompt tokens at $1 + 1M completion tokens at $4: half of the real-time price.
  EXPECT_EQ(v.results[0].cost_nanousd, 5'000'000'000);
  EXPECT_EQ(v.results[1].custom_id, "client-2");
  EXPECT_EQ(v.results[1].status_code, 400);
  EXPECT_EQ(v.resend, (std::vector<std::int64_t>{1}));
}

TEST(LineResultsTest, ALineSentTooOftenEndsWithItsLastError) {
  FakeApi api;
  UpstreamResults results;
  results.lines = {Answer(0, 500)};
  UpstreamLine expired;
  expired.custom_id = UpstreamCustomId(1);
  expired.error_code = "batch_expired";
  expired.error_message = "late";
  results.lines.push_back(expired);
  ResolveOptions options;
  options.max_submissions = 2;
  LineVerdicts v =
      ResolveLines({Item(0), Item(1), Item(2)}, results, api, {{0, 2}, {1, 2}, {2, 2}}, options);
  ASSERT_EQ(v.results.size(), 3u);
  EXPECT_TRUE(v.resend.empty());
  EXPECT_EQ(v.results[0].status_code, 500);
  EXPECT_EQ(v.results[1].error_code, "batch_expired");
  EXPECT_EQ(v.results[1].cost_nanousd, 0);
  EXPECT_EQ(v.results[2].error_code, "provider_batch_result_missing");
}

TEST(LineResultsTest, ACancelledBatchsUnexecutedLinesAreLeftToTheCaller) {
  FakeApi api;
  UpstreamResults results;
  results.lines = {Answer(1, 200)};
  UpstreamLine cancelled;
  cancelled.custom_id = UpstreamCustomId(0);
  cancelled.error_code = "batch_cancelled";
  results.lines.push_back(cancelled);
  ResolveOptions options;
  options.batch_cancelled = true;
  LineVerdicts v = ResolveLines({Item(0), Item(1), Item(2)}, results, api, {}, options);
  ASSERT_EQ(v.results.size(), 1u);
  EXPECT_EQ(v.results[0].custom_id, "client-1");
  EXPECT_TRUE(v.resend.empty());
  // Cancelled by sluice for running past max_wait: sent again, then batch_expired.
  options.batch_cancelled = false;
  EXPECT_EQ(ResolveLines({Item(0)}, results, api, {}, options).resend.size(), 1u);
  options.max_submissions = 1;
  LineVerdicts late = ResolveLines({Item(0)}, results, api, {{0, 1}}, options);
  ASSERT_EQ(late.results.size(), 1u);
  EXPECT_EQ(late.results[0].error_code, "batch_expired");
}

TEST(LineResultsTest, UnansweredLinesAreSentAgainOnlyWhenRetryable) {
  ResolveOptions options;
  LineVerdicts again =
      ResolveUnanswered({Item(0)}, true, "provider_batch_not_found", "gone", {}, options);
  EXPECT_EQ(again.resend.size(), 1u);
  LineVerdicts refused = ResolveUnanswered({Item(0)}, false, "invalid_request", "bad", {}, options);
  ASSERT_EQ(refused.results.size(), 1u);
  EXPECT_EQ(refused.results[0].error_code, "invalid_request");
  EXPECT_EQ(refused.results[0].failure_code, "invalid_request");
}

TEST(LineResultsTest, ChunksStayWithinEveryLimit) {
  std::vector<LineSize> sizes(5, {10, 100});
  EXPECT_EQ(ChunkSizes(sizes, 2, 1000, 0), (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(ChunkSizes(sizes, 100, 25, 0), (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(ChunkSizes(sizes, 100, 1000, 300), (std::vector<std::size_t>{3, 2}));
  EXPECT_EQ(ChunkSizes({{50, 1}}, 100, 10, 0), (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace sluice::provider_batch
