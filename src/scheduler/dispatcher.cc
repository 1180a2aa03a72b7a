#include "scheduler/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "batch/failure_code.h"
#include "batch/output_line.h"
#include "batch/prompt_prefix.h"
#include "http/sleep.h"
#include "providers/answer_class.h"
#include "providers/limiter_feedback.h"
#include "scheduler/result_of.h"
#include "store/store_errors.h"

namespace sluice::scheduler {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// Puts the items that share a long prompt prefix one after another (the first of each group
// where it was), so the planner sends them in a row while the provider's cache holds the prefix.
void SendOrderByPrefix(std::vector<batch::LeasedItem>& items) {
  std::vector<std::optional<std::uint64_t>> keys;
  keys.reserve(items.size());
  for (const batch::LeasedItem& item : items) keys.push_back(batch::PromptPrefixKey(item.item.body));
  std::vector<batch::LeasedItem> grouped;
  grouped.reserve(items.size());
  for (std::size_t i : batch::GroupByPrefix(keys)) grouped.push_back(std::move(items[i]));
  items = std::move(grouped);
}

// The lines a leased item stands for in the window: itself and the duplicates it answers.
std::size_t LinesOf(const batch::LeasedItem& leased) { return 1 + leased.duplicates.size(); }

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
      store_retry_policy_(options.store_retry),
      random_(options.seed),
      planner_(options.planner),
      wake_(io),
      commit_wake_(io) {
  for (const Target& target : targets_) {
    planner_.AddDeployment(target.model, target.limits, clock_.Now(), target.routing);
    planner_.SetStrategy(target.model, target.strategy);
  }
}

void Dispatcher::Stop() {
  stopping_ = true;
  wake_.Notify();
  for (auto& [id, batch] : batches_) Withdraw(*batch);
}

void Dispatcher::Withdraw(ActiveBatch& batch) {
  if (batch.lane >= 0) {
    for (std::int64_t ticket : planner_.RemoveLane(batch.lane)) {
      auto it = held_.find(ticket);
      if (it == held_.end()) continue;
      if (it->second.waiting_retry) --progress_.waiting_retry;
      batch.held -= LinesOf(it->second.leased);
      held_.erase(it);
    }
    batch.lane = -1;
  }
  batch.changed.Notify();
}

bool Dispatcher::Idle() const { return progress_.in_flight == 0 && leasing_ == 0; }

std::optional<BatchCounts> Dispatcher::Counts(const std::string& batch_id) const {
  auto it = batches_.find(batch_id);
  if (it == batches_.end() || !it->second->started) return std::nullopt;
  return it->second->counts;
}

asio::awaitable<Status> Dispatcher::Run() {
  running_ = true;
  asio::co_spawn(io_, CommitLoop(), asio::detached);
  while (!stopping_) {
    std::size_t holding = 0;
    for (const auto& [id, batch] : batches_) holding += batch->Holding();
    std::size_t free = options_.window > holding ? options_.window - holding : 0;
    for (auto& [id, batch] : batches_) Refill(batch, free);
    ApplyBudgets();
    Decision decision = planner_.Next(clock_.Now());
    if (decision.dispatch) {
      std::int64_t ticket = decision.dispatch->ticket.id;
      if (auto waiter = waiters_.find(ticket); waiter != waiters_.end()) {
        waiter->second->deployment = decision.dispatch->deployment;
        waiter->second->admitted.Notify();
        waiters_.erase(waiter);
        continue;
      }
      ++progress_.in_flight;  // counted before the coroutine starts, so Run waits for it
      Held& held = held_.at(ticket);
      if (held.waiting_retry) --progress_.waiting_retry;
      held.waiting_retry = false;
      Reserve(held, decision.dispatch->ticket.cost);
      asio::co_spawn(io_, Send(*decision.dispatch), asio::detached);
      continue;
    }
    // A batch paused by its key's budget goes on when the key's day or month turns.
    if (std::optional<TimePoint> turn = NotePauses()) {
      if (!decision.wake_at || *turn < *decision.wake_at) decision.wake_at = turn;
    }
    if (decision.wake_at) {
      co_await (http::SleepUntil(clock_, *decision.wake_at) || wake_.Wait());
    } else {
      co_await wake_.Wait();
    }
  }
  // Nothing may outlive Run: wait for the coroutines it started, then for the last commit.
  while (!Idle()) co_await wake_.Wait();
  stopping_ = true;
  commit_wake_.Notify();
  while (!commit_loop_exited_) co_await wake_.Wait();
  running_ = false;
  for (auto& [id, batch] : batches_) batch->changed.Notify();
  co_return OkStatus();
}

asio::awaitable<Status> Dispatcher::RunBatch(BatchSpec spec) {
  if (stopping_) co_return CancelledError("stopped before every item had a result");
  if (batches_.contains(spec.id)) co_return AlreadyExistsError("batch " + spec.id + " is running");
  std::string id = spec.id;
  // Registered before the first store call, so a cancel while it starts is kept.
  auto batch = std::make_shared<ActiveBatch>(io_);
  batch->budget.SetCap(spec.max_cost_nanousd);
  batch->spec = std::move(spec);
  batch->lane = -1;
  batch->arrival = arrivals_++;
  batches_.emplace(id, batch);
  while (!batch->cancelled && !stopping_ && !TakeTurn(*batch)) co_await batch->changed.Wait();
  if (batch->admitted) {
    Status started = co_await Start(batch);
    if (!started.ok() && !store::IsTransient(started)) batch->failure = started;
  }

  Status outcome;
  while (true) {
    if (!batch->failure.ok()) {
      outcome = batch->failure;
    } else if (batch->spec.end_when_paused && batch->paused && batch->sending == 0 &&
               batch->uncommitted == 0) {
      outcome = ResourceExhaustedError("paused for budget: " + *batch->paused);
    } else if (batch->Done() && (batch->store_drained || batch->cancelled || stopping_)) {
      if (batch->cancelled) {
        outcome = CancelledError("batch " + id + " cancelled");
      } else if (!batch->store_drained) {
        outcome = CancelledError("stopped before every item had a result");
      }
    } else if (running_ || !stopping_) {
      co_await batch->changed.Wait();
      continue;
    } else {
      outcome = CancelledError("stopped before every item had a result");
    }
    break;
  }
  Withdraw(*batch);
  batch->gone = true;
  batches_.erase(id);
  LeaveTurn(*batch);
  co_return outcome;
}

asio::awaitable<Status> Dispatcher::RunOnly(BatchSpec spec) {
  auto batch_then_stop = [this, spec]() -> asio::awaitable<Status> {
    BatchSpec named = spec;  // named: see Offload's note on g++ 12
    Status status = co_await RunBatch(std::move(named));
    Stop();
    co_return status;
  };
  auto [engine, batch] = co_await (Run() && batch_then_stop());
  co_return engine.ok() ? batch : engine;
}

void Dispatcher::CancelBatch(const std::string& batch_id) {
  auto it = batches_.find(batch_id);
  if (it == batches_.end()) return;
  it->second->cancelled = true;
  Withdraw(*it->second);
  it->second->changed.Notify();  // a batch waiting for its turn ends now
}

bool Dispatcher::TakeTurn(ActiveBatch& batch) {
  if (admitted_ >= std::max<std::size_t>(1, options_.max_batches)) return false;
  auto ahead = [&batch](const ActiveBatch& other) {
    if (other.spec.priority != batch.spec.priority) return other.spec.priority < batch.spec.priority;
    return other.arrival < batch.arrival;
  };
  for (const auto& [id, other] : batches_) {
    if (!other->admitted && !other->cancelled && ahead(*other)) return false;
  }
  batch.admitted = true;
  ++admitted_;
  return true;
}

void Dispatcher::LeaveTurn(ActiveBatch& batch) {
  if (!batch.admitted) return;
  batch.admitted = false;
  --admitted_;
  for (auto& [id, other] : batches_) {
    if (!other->admitted) other->changed.Notify();
  }
}

void Dispatcher::Refill(const std::shared_ptr<ActiveBatch>& batch, std::size_t& free) {
  // A lane of -1: not started yet, cancelled, stopped or failed.
  if (stopping_ || batch->lane < 0 || batch->cancelled || batch->store_drained ||
      batch->refilling) {
    return;
  }
  // An even share of the window, refilled once half of it is free, and never past the window.
  std::size_t share = std::max<std::size_t>(1, options_.window / std::max<std::size_t>(1, admitted_));
  if (batch->Holding() >= (share + 1) / 2) return;
  std::size_t want = std::min(share - batch->Holding(), free);
  if (want == 0) return;
  free -= want;
  batch->refilling = true;
  ++leasing_;
  asio::co_spawn(io_, Lease(batch, want), asio::detached);
}

asio::awaitable<void> Dispatcher::Lease(std::shared_ptr<ActiveBatch> batch, std::size_t want) {
  store::Store& store = store_;
  std::string id = batch->spec.id;
  WallTime now = clock_.WallNow();
  Duration lease = options_.lease;
  bool group = options_.group_by_prefix;
  std::function<Result<std::vector<batch::LeasedItem>>()> lease_items =
      [&store, id, want, now, lease, group] {
        auto leased = store.LeaseItems(id, want, now, lease);
        // Grouped here, on the store thread rather than the loop: it parses every body.
        if (leased.ok() && group) SendOrderByPrefix(*leased);
        return leased;
      };
  auto leased = co_await CallStore<Result<std::vector<batch::LeasedItem>>>(std::move(lease_items));
  batch->refilling = false;
  --leasing_;
  if (batch->gone) {
    // Its runner has returned; what was leased stays leased until the next start expires it.
  } else if (!leased.ok()) {
    // A transient error here means the dispatcher is stopping: the batch stops, it does not fail.
    if (!store::IsTransient(leased.status())) {
      FailBatch(id, leased.status().WithContext("leasing items"));
    }
  } else if (!batch->cancelled && batch->lane >= 0) {
    if (leased->size() < want) batch->store_drained = true;
    for (batch::LeasedItem& item : *leased) {
      std::int64_t ticket = next_ticket_++;
      planner_.Enqueue(item.item.model, {.id = ticket,
                                         .tokens = item.item.estimated_tokens,
                                         .not_before = {},
                                         .passed_over = 0,
                                         .lane = batch->lane,
                                         .overtaken_until = {},
                                         .cost = cost::ReservationOf(PricesOf(item.item.model),
                                                                     item.item.estimated_tokens)});
      int attempt = item.attempt;
      http::RequestTrace trace =
          http::NewRequestTrace(batch::ResultLineId(batch->spec.id, item.item.index));
      held_.emplace(ticket, Held{batch, std::move(item), attempt, false, {}, std::move(trace)});
      batch->held += LinesOf(held_.at(ticket).leased);
    }
  }
  batch->changed.Notify();
  wake_.Notify();
}

asio::awaitable<void> Dispatcher::Send(Dispatch dispatch) {
  const Target& target = targets_[dispatch.deployment];
  const Held& sending = held_.at(dispatch.ticket.id);
  const batch::NewItem& item = sending.leased.item;
  providers::Encoded encoded = target.provider->Encode(item.endpoint, item.body);
  // For the log line after the answer, when `sending` may be gone; made only when it is logged,
  // since this runs for every attempt.
  const bool logged = spdlog::should_log(spdlog::level::debug);
  std::string attempt_name;
  if (logged) {
    attempt_name = fmt::format("{} (line {} of batch {}): attempt {}", sending.trace.request_id,
                               item.custom_id, sending.batch->spec.id, sending.attempt);
  }
  std::string traceparent;
  ++progress_.sent;
  if (observer_.started) observer_.started(dispatch.deployment);
  TimePoint sent_at = clock_.Now();
  providers::Outcome outcome;
  if (auto* refused = std::get_if<providers::Refusal>(&encoded)) {
    // The provider cannot honour the request: its result is the 400, and nothing is sent.
    planner_.Finished(dispatch.deployment);
    outcome = providers::RefusedOutcome(*refused);
  } else {
    http::ClientRequest& request = std::get<http::ClientRequest>(encoded);
    request.total_timeout = target.timeout;
    traceparent = http::StampUpstreamAttempt(sending.trace, request.headers);
    Result<http::Response> answer = co_await client_.Send(std::move(request));
    planner_.Finished(dispatch.deployment);
    outcome = target.provider->Decode(answer);
  }
  if (logged) {
    spdlog::debug("{} on {} (traceparent {}): {}", attempt_name, target.limits.name,
                  traceparent.empty() ? "not sent" : traceparent,
                  providers::DescribeOutcome(outcome));
  }
  TimePoint now = clock_.Now();
  if (observer_.finished) observer_.finished(dispatch.deployment, outcome, now - sent_at);
  Learn(dispatch.deployment, outcome, now - sent_at, now);
  --progress_.in_flight;
  wake_.Notify();
  auto it = held_.find(dispatch.ticket.id);
  if (it == held_.end()) co_return;
  Held& held = it->second;
  Release(held);
  if (held.batch->gone) {  // its runner has returned (its store failed): the answer is dropped
    held_.erase(it);
    co_return;
  }
  bool keep_trying = !stopping_ && !held.batch->cancelled;
  if (outcome.verdict == providers::Verdict::kRetry && keep_trying &&
      planner_.breaker(dispatch.deployment).State(now) != router::BreakerState::kClosed) {
    // The deployment is down (this failure opened its breaker, or it was already open): the item
    // goes to another one, or waits for it to recover, without spending one of its attempts.
    Requeue(dispatch, held, now);
    // When every deployment of its model is down, a fallback takes the waiting items (this one
    // too) rather than one per probe.
    const std::string& model = targets_[dispatch.deployment].model;
    if (planner_.Unavailable(model, now)) FallBackQueued(model, outcome);
    co_return;
  }
  if (outcome.verdict == providers::Verdict::kRetry && keep_trying) {
    auto next = retry_policy_.NextAttempt(held.attempt, outcome.retry_after, now, random_);
    if (next) {
      ++held.attempt;
      Requeue(dispatch, held, *next);
      co_return;
    }
  }
  if (outcome.verdict == providers::Verdict::kRetry && !keep_trying) {
    // Stays leased in the store; a later run sends it again (or the batch was cancelled).
    std::shared_ptr<ActiveBatch> batch = held.batch;
    batch->held -= LinesOf(held.leased);
    held_.erase(it);
    batch->changed.Notify();
  } else if (!keep_trying || !FallBack(dispatch.ticket, held, outcome)) {
    Finish(it, outcome);
  }
}

void Dispatcher::Requeue(Dispatch dispatch, Held& held, TimePoint not_before) {
  ++progress_.retries;
  if (observer_.retried) observer_.retried(dispatch.deployment);
  dispatch.ticket.not_before = not_before;
  dispatch.ticket.passed_over = 0;
  dispatch.ticket.overtaken_until = TimePoint{};
  planner_.Enqueue(targets_[dispatch.deployment].model, dispatch.ticket);
  held.waiting_retry = true;
  ++progress_.waiting_retry;
}

asio::awaitable<Result<Admission>> Dispatcher::Admit(std::string model, std::string tenant,
                                                     std::int64_t tokens, Duration wait) {
  auto target = std::find_if(targets_.begin(), targets_.end(),
                             [&model](const Target& t) { return t.model == model; });
  if (target == targets_.end()) co_return NotFoundError("no deployment serves model " + model);
  if (planner_.Unavailable(model, clock_.Now())) {
    co_return UnavailableError("every deployment of model " + model +
                               " is failing (circuit breaker open)");
  }
  auto lane = interactive_lanes_.find(tenant);
  if (lane == interactive_lanes_.end()) {
    int number = planner_.AddLane({Priority::kInteractive, tenant});
    lane = interactive_lanes_.emplace(tenant, number).first;
  }
  std::int64_t ticket = next_ticket_++;
  Waiter waiter{std::nullopt, Notifier(io_)};
  waiters_[ticket] = &waiter;
  planner_.Enqueue(model, {.id = ticket,
                           .tokens = tokens,
                           .not_before = {},
                           .passed_over = 0,
                           .lane = lane->second,
                           .overtaken_until = {}});
  wake_.Notify();
  TimePoint deadline = clock_.Now() + wait;
  if (!waiter.deployment) co_await (waiter.admitted.Wait() || http::SleepUntil(clock_, deadline));
  if (!waiter.deployment) {
    waiters_.erase(ticket);
    planner_.Remove(model, lane->second, ticket);
    co_return ResourceExhaustedError("no capacity for model " + model + " within the wait");
  }
  const Target& admitted = targets_[*waiter.deployment];
  if (observer_.started) observer_.started(*waiter.deployment);
  co_return Admission{*waiter.deployment, tenant,           admitted.model,
                      admitted.provider,  admitted.timeout, clock_.Now()};
}

void Dispatcher::Complete(const Admission& admission, const providers::Outcome& outcome) {
  planner_.Finished(admission.deployment);
  TimePoint now = clock_.Now();
  if (observer_.finished)
    observer_.finished(admission.deployment, outcome, now - admission.admitted_at);
  Learn(admission.deployment, outcome, now - admission.admitted_at, now);
  Spend(nullptr, admission.tenant, CostOf(outcome.usage, PricesOf(admission.model)).value_or(0));
  wake_.Notify();
}

Duration Dispatcher::RetryAfter(const std::string& model, const std::string& tenant,
                                std::int64_t tokens) const {
  TimePoint now = clock_.Now();
  std::optional<TimePoint> soonest;
  for (std::size_t d = 0; d < targets_.size(); ++d) {
    if (targets_[d].model != model) continue;
    TimePoint when = planner_.limiter(static_cast<int>(d)).WhenAdmissible(tokens, now);
    if (!soonest || when < *soonest) soonest = when;
  }
  TimePoint when = std::max(soonest.value_or(now), planner_.WhenTenantAdmits(tenant, tokens, now));
  return std::max<Duration>(when - now, Duration::zero());
}

void Dispatcher::Learn(int deployment, const providers::Outcome& outcome, Duration latency,
                       TimePoint now) {
  ratelimit::DeploymentLimiter& limiter = planner_.limiter(deployment);
  if (auto news = limiter.Observe(providers::LimiterFeedback(outcome), now)) {
    spdlog::info("{}", *news);
  }
  providers::AnswerClass answer = providers::ClassOf(outcome);
  router::Signal signal = providers::IsDeploymentFailure(answer) ? router::Signal::kFailure
                          : answer == providers::AnswerClass::kCancelled ? router::Signal::kNeutral
                                                                         : router::Signal::kSuccess;
  std::optional<Duration> measured;
  if (answer == providers::AnswerClass::kOk) measured = latency;
  bool probing = planner_.breaker(deployment).State(now) == router::BreakerState::kHalfOpen;
  if (auto changed = planner_.Answered(deployment, signal, measured, now)) {
    const std::string& name = targets_[deployment].limits.name;
    if (*changed == router::BreakerState::kOpen && probing) {
      spdlog::debug("{}: circuit breaker probe failed ({}); open again", name,
                    providers::AnswerClassName(answer));
    } else if (*changed == router::BreakerState::kOpen) {
      spdlog::info("{}: circuit breaker open after {} ({}); no requests for {} ms, then one probe",
                   name, providers::AnswerClassName(answer), outcome.status.message(),
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       planner_.breaker(deployment).options().cooldown)
                       .count());
    } else {
      spdlog::info("{}: circuit breaker closed: the probe succeeded", name);
    }
  }
  if (outcome.status_code == 429) ++progress_.rate_limited;
  progress_.prompt_tokens += outcome.usage.prompt_tokens;
  progress_.completion_tokens += outcome.usage.completion_tokens;
  progress_.usage_by_model[targets_[deployment].model] += outcome.usage;
}

std::optional<cost::Prices> Dispatcher::PricesOf(const std::string& model) const {
  for (const Target& target : targets_) {
    if (target.model == model) return target.prices;
  }
  return std::nullopt;
}

void Dispatcher::Finish(HeldMap::iterator held, const providers::Outcome& outcome) {
  ActiveBatch* batch = held->second.batch.get();
  const std::vector<std::string>& tried = held->second.tried;
  const std::string& answered_by = tried.size() > 1 ? tried.back() : held->second.leased.item.model;
  uncommitted_.push_back(
      {batch->spec.id, ResultOf(held->second.leased, outcome, PricesOf(answered_by))});
  Spend(batch, batch->spec.tenant, uncommitted_.back().result.cost_nanousd.value_or(0));
  if (tried.size() > 1) uncommitted_.back().result.model = tried.back();
  ++batch->uncommitted;
  // The lines that share this answer join its commit group, so they are saved in the same
  // transaction: a crash never leaves the original answered and its duplicates not.
  std::size_t sent = uncommitted_.size() - 1;
  for (const batch::Duplicate& duplicate : held->second.leased.duplicates) {
    uncommitted_.push_back({batch->spec.id, DuplicateResult(uncommitted_[sent].result, duplicate)});
    ++batch->uncommitted;
  }
  batch->held -= LinesOf(held->second.leased);
  held_.erase(held);
  commit_wake_.Notify();
}

}  // namespace sluice::scheduler
