#include "scheduler/dispatcher.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "http/offload.h"
#include "http/sleep.h"
#include "providers/limiter_feedback.h"

namespace sluice::scheduler {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

batch::ResultRecord ResultOf(const batch::LeasedItem& leased, const providers::Outcome& outcome) {
  batch::ResultRecord result;
  result.index = leased.item.index;
  result.custom_id = leased.item.custom_id;
  result.success = outcome.verdict == providers::Verdict::kSuccess;
  result.status_code = outcome.status_code;
  result.request_id = outcome.request_id;
  result.body = outcome.body;
  result.usage = outcome.usage;
  if (outcome.status_code == 0) {
    result.error_code = outcome.status.code() == StatusCode::kDeadlineExceeded
                            ? "upstream_timeout"
                            : "upstream_unavailable";
    result.error_message = outcome.status.ToString();
  }
  return result;
}

}  // namespace

Dispatcher::Dispatcher(asio::any_io_executor io, asio::any_io_executor store_executor, Clock& clock,
                       store::Store& store, http::Client& client, std::vector<Target> targets,
                       DispatcherOptions options)
    : io_(io),
      store_executor_(store_executor),
      clock_(clock),
      store_(store),
      client_(client),
      targets_(std::move(targets)),
      options_(options),
      retry_policy_(options.retry),
      random_(options.seed),
      planner_(options.planner),
      wake_(io),
      commit_wake_(io) {
  for (const Target& target : targets_) {
    planner_.AddDeployment(target.model, target.limits, clock_.Now());
  }
}

void Dispatcher::Stop() {
  stopping_ = true;
  wake_.Notify();
}

bool Dispatcher::Done() const {
  return held_.empty() && store_drained_ && uncommitted_.empty() && !committing_ && !refilling_;
}

asio::awaitable<Status> Dispatcher::Run(std::string batch_id) {
  batch_id_ = std::move(batch_id);
  store::Store& store = store_;
  std::string id = batch_id_;
  auto expire = [&store, id] { return store.ExpireLeases(id); };  // no holder survives a restart
  Status expired = co_await http::Offload<Status>(store_executor_, io_, std::move(expire));
  if (!expired.ok()) co_return expired;
  auto count = [&store, id] { return store.CountItems(id); };
  auto counts =
      co_await http::Offload<Result<batch::ItemCounts>>(store_executor_, io_, std::move(count));
  if (!counts.ok()) co_return counts.status();
  progress_.total = counts->total;
  progress_.succeeded = counts->succeeded;
  progress_.failed = counts->failed;

  asio::co_spawn(io_, CommitLoop(), asio::detached);
  while (failure_.ok() && !(stopping_ ? progress_.in_flight == 0 : Done())) {
    if (!stopping_ && !store_drained_ && !refilling_ && held_.size() < options_.window / 2) {
      refilling_ = true;
      asio::co_spawn(io_, Refill(), asio::detached);
    }
    Decision decision = stopping_ ? Decision{} : planner_.Next(clock_.Now());
    if (decision.dispatch) {
      ++progress_.in_flight;  // counted before the coroutine starts, so Run waits for it
      if (decision.dispatch->ticket.not_before != TimePoint{}) --progress_.waiting_retry;
      asio::co_spawn(io_, Send(*decision.dispatch), asio::detached);
      continue;
    }
    if (decision.wake_at) {
      co_await (http::SleepUntil(clock_, *decision.wake_at) || wake_.Wait());
    } else {
      co_await wake_.Wait();
    }
  }
  // Nothing may outlive Run: wait for the coroutines it started, then for the last commit.
  while (refilling_ || progress_.in_flight > 0) co_await wake_.Wait();
  committing_done_ = true;
  commit_wake_.Notify();
  while (!commit_loop_exited_) co_await wake_.Wait();
  if (!failure_.ok()) co_return failure_;
  co_return Done() ? OkStatus() : CancelledError("stopped before every item had a result");
}

asio::awaitable<void> Dispatcher::Refill() {
  store::Store& store = store_;
  std::string id = batch_id_;
  std::size_t want = options_.window - held_.size();
  WallTime now = clock_.WallNow();
  Duration lease = options_.lease;
  auto lease_items = [&store, id, want, now, lease] {
    return store.LeaseItems(id, want, now, lease);
  };
  auto leased = co_await http::Offload<Result<std::vector<batch::LeasedItem>>>(
      store_executor_, io_, std::move(lease_items));
  refilling_ = false;
  if (!leased.ok()) {
    failure_ = leased.status();
  } else {
    if (leased->size() < want) store_drained_ = true;
    for (batch::LeasedItem& item : *leased) {
      std::int64_t index = item.item.index;
      Ticket ticket{index, item.item.estimated_tokens, TimePoint{}, 0};
      planner_.Enqueue(item.item.model, ticket);
      int attempt = item.attempt;
      held_.emplace(index, Held{std::move(item), attempt});
    }
  }
  wake_.Notify();
}

asio::awaitable<void> Dispatcher::Send(Dispatch dispatch) {
  Held& held = held_.at(dispatch.ticket.id);
  const Target& target = targets_[dispatch.deployment];
  http::ClientRequest request =
      target.provider->Encode(held.leased.item.endpoint, held.leased.item.body);
  request.total_timeout = target.timeout;
  ++progress_.sent;
  Result<http::Response> answer = co_await client_.Send(std::move(request));
  planner_.Finished(dispatch.deployment);
  providers::Outcome outcome = target.provider->Decode(answer);
  TimePoint now = clock_.Now();
  Learn(dispatch.deployment, outcome, now);
  if (outcome.verdict == providers::Verdict::kRetry && !stopping_) {
    auto next = retry_policy_.NextAttempt(held.attempt, outcome.retry_after, now, random_);
    if (next) {
      ++held.attempt;
      ++progress_.retries;
      dispatch.ticket.not_before = *next;
      planner_.Enqueue(target.model, dispatch.ticket);
      ++progress_.waiting_retry;
      --progress_.in_flight;
      wake_.Notify();
      co_return;
    }
  }
  if (outcome.verdict == providers::Verdict::kRetry && stopping_) {
    held_.erase(dispatch.ticket.id);  // stays leased in the store; the next run sends it again
  } else {
    Finish(held, outcome);
  }
  --progress_.in_flight;
  wake_.Notify();
}

void Dispatcher::Learn(int deployment, const providers::Outcome& outcome, TimePoint now) {
  ratelimit::DeploymentLimiter& limiter = planner_.limiter(deployment);
  if (auto news = limiter.Observe(providers::LimiterFeedback(outcome), now)) {
    spdlog::info("{}", *news);
  }
  if (outcome.status_code == 429) ++progress_.rate_limited;
  progress_.prompt_tokens += outcome.usage.prompt_tokens;
  progress_.completion_tokens += outcome.usage.completion_tokens;
  batch::Usage& usage = progress_.usage_by_model[targets_[deployment].model];
  usage.prompt_tokens += outcome.usage.prompt_tokens;
  usage.completion_tokens += outcome.usage.completion_tokens;
  usage.total_tokens += outcome.usage.total_tokens;
  usage.cached_tokens += outcome.usage.cached_tokens;
  usage.reasoning_tokens += outcome.usage.reasoning_tokens;
}

void Dispatcher::Finish(const Held& held, const providers::Outcome& outcome) {
  uncommitted_.push_back(ResultOf(held.leased, outcome));
  held_.erase(held.leased.item.index);
  commit_wake_.Notify();
}

asio::awaitable<void> Dispatcher::CommitLoop() {
  while (failure_.ok()) {
    if (uncommitted_.empty()) {
      if (committing_done_) break;
      co_await commit_wake_.Wait();
      continue;
    }
    // Everything that finished while the previous group was being written goes in one group.
    auto group = std::make_shared<std::vector<batch::ResultRecord>>(std::move(uncommitted_));
    uncommitted_.clear();
    committing_ = true;
    store::Store& store = store_;
    std::string id = batch_id_;
    auto write = [&store, id, group] { return store.AddResults(id, *group); };
    Status written = co_await http::Offload<Status>(store_executor_, io_, std::move(write));
    committing_ = false;
    if (!written.ok()) {
      failure_ = written.WithContext("saving results");
      break;
    }
    for (const batch::ResultRecord& r : *group) {
      ++(r.success ? progress_.succeeded : progress_.failed);
    }
    wake_.Notify();
  }
  commit_loop_exited_ = true;
  wake_.Notify();
}

}  // namespace sluice::scheduler
