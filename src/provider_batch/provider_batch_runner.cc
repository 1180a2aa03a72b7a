#include "provider_batch/provider_batch_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <limits>

#include "http/offload.h"
#include "http/sleep.h"
#include "provider_batch/line_results.h"
#include "scheduler/result_of.h"

namespace sluice::provider_batch {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// Single node: a lease only has to outlive this process (Run starts by expiring them all).
constexpr Duration kLease = std::chrono::hours(24 * 365);

std::int64_t UnixMs(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

ProviderBatchRunner::ProviderBatchRunner(asio::any_io_executor io,
                                         asio::any_io_executor store_executor, Clock& clock,
                                         store::Store& store,
                                         std::map<std::string, ProviderTarget> targets,
                                         config::ProviderBatchConfig options)
    : io_(io),
      store_executor_(store_executor),
      clock_(clock),
      store_(store),
      targets_(std::move(targets)),
      options_(options),
      wake_(io) {}

void ProviderBatchRunner::Stop() {
  stopping_ = true;
  wake_.Notify();
}

void ProviderBatchRunner::Cancel() {
  cancelled_ = true;
  wake_.Notify();
}

template <typename R, typename Work>
asio::awaitable<R> ProviderBatchRunner::OnStore(Work work) {
  return http::Offload<R>(store_executor_, io_, std::move(work));
}

asio::awaitable<Status> ProviderBatchRunner::Save() {
  batch::BatchRecord record = record_of_(state_);
  auto save = [this, record] { return store_.UpdateBatch(record); };
  co_return co_await OnStore<Status>(save);
}

ProviderTarget* ProviderBatchRunner::TargetOf(const Submission& submission) {
  auto it = targets_.find(submission.model);
  return it == targets_.end() ? nullptr : &it->second;
}

std::vector<batch::LeasedItem> ProviderBatchRunner::ItemsOf(const Submission& submission) const {
  std::vector<batch::LeasedItem> out;
  for (std::int64_t index : IndicesOf(submission.lines)) {
    if (auto it = items_.find(index); it != items_.end()) out.push_back(it->second);
  }
  return out;
}

std::map<std::int64_t, std::int64_t> ProviderBatchRunner::TimesSent(
    const Submission& submission) const {
  std::map<std::int64_t, std::int64_t> out;
  for (std::int64_t index : IndicesOf(submission.lines)) out[index] = state_.TimesSent(index);
  return out;
}

asio::awaitable<Status> ProviderBatchRunner::Send(Submission& submission) {
  ProviderTarget* target = TargetOf(submission);
  if (!target) co_return InternalError("no provider batch target for model " + submission.model);
  std::vector<UpstreamRequest> requests;
  for (const batch::LeasedItem& leased : ItemsOf(submission)) {
    providers::Encoded encoded = target->provider->Encode(leased.item.endpoint, leased.item.body);
    // Refused lines were answered before they were packed (SubmitPending).
    if (const auto* request = std::get_if<http::ClientRequest>(&encoded)) {
      requests.push_back(
          {UpstreamCustomId(leased.item.index), leased.item.endpoint, request->body});
    }
  }
  Result<std::string> created = co_await target->api->Submit(submission.id, std::move(requests));
  if (!created.ok()) {
    StatusCode code = created.status().code();
    if (code == StatusCode::kInvalidArgument || code == StatusCode::kFailedPrecondition) {
      // The provider refuses this batch as it is: sending it again would not help.
      spdlog::error("batch {}: the provider refused provider batch {}: {}", batch_id_,
                    submission.id, created.status().ToString());
      LineVerdicts rejected =
          ResolveUnanswered(ItemsOf(submission), false, "provider_batch_rejected",
                            std::string(created.status().message()), {}, {});
      co_return co_await Settle(submission, std::move(rejected));
    }
    // Recorded without an upstream id: the next poll looks for it and sends it then.
    spdlog::warn("batch {}: cannot create provider batch {} yet: {}", batch_id_, submission.id,
                 created.status().ToString());
    co_return OkStatus();
  }
  submission.upstream_id = *created;
  ++progress_.submitted_batches;
  spdlog::info("batch {}: provider batch {} created for {} lines ({})", batch_id_,
               submission.upstream_id, IndicesOf(submission.lines).size(), submission.id);
  co_return co_await Save();
}

asio::awaitable<Status> ProviderBatchRunner::SubmitPending() {
  // Lines without a result and in no open submission, by model, in index order.
  std::map<std::string, std::vector<const batch::LeasedItem*>> pending;
  std::vector<batch::ResultRecord> refused;
  for (const auto& [index, leased] : items_) {
    if (state_.InFlight(index)) continue;
    auto target = targets_.find(leased.item.model);
    if (target == targets_.end()) continue;  // checked when Run started
    providers::Encoded encoded =
        target->second.provider->Encode(leased.item.endpoint, leased.item.body);
    if (const auto* refusal = std::get_if<providers::Refusal>(&encoded)) {
      // What the provider cannot honour is answered here, as the real-time path answers it.
      refused.push_back(
          scheduler::ResultOf(leased, providers::RefusedOutcome(*refusal), target->second.prices));
    } else {
      pending[leased.item.model].push_back(&leased);
    }
  }
  SLUICE_CO_RETURN_IF_ERROR(co_await Record(std::move(refused)));
  budget_paused_ = false;
  std::optional<std::int64_t> left = BudgetLeft();
  for (auto& [model, lines] : pending) {
    auto target = targets_.find(model);
    if (left) FitBudget(lines, target->second, *left);
    if (lines.empty()) continue;
    std::int64_t enqueued = 0;
    for (const Submission& s : state_.submissions) {
      if (s.open && s.model == model) enqueued += s.estimated_tokens;
    }
    std::vector<LineSize> sizes;
    for (const batch::LeasedItem* leased : lines) {
      sizes.push_back({static_cast<std::int64_t>(leased->item.body.size()) + 96,
                       leased->item.estimated_tokens});
    }
    std::int64_t max_tokens = options_.max_enqueued_tokens;
    std::size_t first = 0;
    for (std::size_t count :
         ChunkSizes(sizes, target->second.max_lines, target->second.max_bytes, max_tokens)) {
      Submission s;
      std::vector<std::int64_t> indices;
      for (std::size_t i = first; i < first + count; ++i) {
        indices.push_back(lines[i]->item.index);
        s.estimated_tokens += lines[i]->item.estimated_tokens;
      }
      first += count;
      // The enqueued-token limit: what does not fit waits for open batches to end.
      if (max_tokens > 0 && enqueued > 0 && enqueued + s.estimated_tokens > max_tokens) break;
      enqueued += s.estimated_tokens;
      s.id = state_.NextId(batch_id_);
      s.model = model;
      s.deployment = target->second.deployment;
      s.lines = RunsOf(indices);
      s.created_at_ms = UnixMs(clock_.WallNow());
      for (std::int64_t index : indices) {
        if (state_.TimesSent(index) > 0) ++progress_.resent_lines;
      }
      progress_.submitted_lines += static_cast<std::int64_t>(indices.size());
      state_.submissions.push_back(std::move(s));
      // Recorded before it is created upstream: a crash from here on finds it again.
      SLUICE_CO_RETURN_IF_ERROR(co_await Save());
      SLUICE_CO_RETURN_IF_ERROR(co_await Send(state_.submissions.back()));
    }
  }
  co_return OkStatus();
}

asio::awaitable<Status> ProviderBatchRunner::Record(std::vector<batch::ResultRecord> results) {
  if (results.empty()) co_return OkStatus();
  // The lines dedup left out share their original's answer, in the same transaction.
  std::size_t sent = results.size();
  for (std::size_t i = 0; i < sent; ++i) {
    auto it = items_.find(results[i].index);
    if (it == items_.end()) continue;
    for (const batch::Duplicate& duplicate : it->second.duplicates) {
      results.push_back(scheduler::DuplicateResult(results[i], duplicate));
    }
  }
  std::string id = batch_id_;
  auto add = [this, id, results] { return store_.AddResults(id, results); };
  SLUICE_CO_RETURN_IF_ERROR(co_await OnStore<Status>(add));
  for (const batch::ResultRecord& r : results) {
    ++(r.success ? progress_.succeeded : progress_.failed);
    if (r.duplicate_of) continue;  // billed nothing: its original was
    if (r.cost_nanousd) {
      progress_.cost_nanousd += *r.cost_nanousd;
      spent_ += *r.cost_nanousd;
    } else {
      ++progress_.unpriced;
    }
    if (auto it = items_.find(r.index); it != items_.end()) {
      progress_.usage_by_model[it->second.item.model] += r.usage;
      items_.erase(it);
    }
  }
  co_return OkStatus();
}

asio::awaitable<Status> ProviderBatchRunner::Settle(Submission& submission, LineVerdicts verdicts) {
  SLUICE_CO_RETURN_IF_ERROR(co_await Record(verdicts.results));
  submission.open = false;
  next_poll_.erase(submission.id);
  backoff_.erase(submission.id);
  spdlog::info("batch {}: provider batch {} settled: {} results, {} lines to send again", batch_id_,
               submission.upstream_id, verdicts.results.size(), verdicts.resend.size());
  co_return co_await Save();
}

asio::awaitable<Status> ProviderBatchRunner::PollOnce(Submission& submission) {
  ProviderTarget* target = TargetOf(submission);
  if (!target) co_return InternalError("no provider batch target for model " + submission.model);
  ResolveOptions resolve{options_.max_submissions, target->prices,
                         submission.cancelled == "cancelled"};
  if (submission.upstream_id.empty()) {
    // Recorded, but its creation was not: created before a crash, or never.
    BatchApi::FindHint hint{WallTime(std::chrono::milliseconds(submission.created_at_ms)),
                            static_cast<std::int64_t>(IndicesOf(submission.lines).size()),
                            {}};
    for (const Submission& s : state_.submissions) {
      if (!s.upstream_id.empty()) hint.known_ids.push_back(s.upstream_id);
    }
    Result<std::optional<std::string>> found =
        co_await target->api->Find(submission.id, std::move(hint));
    if (!found.ok()) {
      spdlog::warn("batch {}: cannot look for provider batch {}: {}", batch_id_, submission.id,
                   found.status().ToString());
      co_return OkStatus();
    }
    if (*found) {
      submission.upstream_id = **found;
      spdlog::info("batch {}: found provider batch {} again ({})", batch_id_,
                   submission.upstream_id, submission.id);
      co_return co_await Save();
    }
    if (cancelled_) {
      LineVerdicts none;  // never sent: nothing ran
      co_return co_await Settle(submission, std::move(none));
    }
    co_return co_await Send(submission);
  }
  if (cancelled_ && submission.cancelled.empty()) {
    Status cancel = co_await target->api->Cancel(submission.upstream_id);
    if (!cancel.ok()) spdlog::warn("batch {}: cancel upstream: {}", batch_id_, cancel.ToString());
    submission.cancelled = "cancelled";
    SLUICE_CO_RETURN_IF_ERROR(co_await Save());
    resolve.batch_cancelled = true;
  }
  Result<UpstreamStatus> status = co_await target->api->Poll(submission.upstream_id);
  if (!status.ok()) {
    spdlog::warn("batch {}: cannot poll provider batch {}: {}", batch_id_, submission.upstream_id,
                 status.status().ToString());
    co_return OkStatus();
  }
  switch (status->state) {
    case UpstreamState::kRunning: {
      Duration waited =
          std::chrono::milliseconds(UnixMs(clock_.WallNow()) - submission.created_at_ms);
      if (waited > options_.max_wait && submission.cancelled.empty()) {
        spdlog::warn("batch {}: provider batch {} has not ended after {}s; cancelling it",
                     batch_id_, submission.upstream_id,
                     std::chrono::duration_cast<std::chrono::seconds>(waited).count());
        Status cancel = co_await target->api->Cancel(submission.upstream_id);
        if (!cancel.ok()) {
          spdlog::warn("batch {}: cancel upstream: {}", batch_id_, cancel.ToString());
        }
        submission.cancelled = "timed_out";
        co_return co_await Save();
      }
      co_return OkStatus();
    }
    case UpstreamState::kEnded: {
      Result<UpstreamResults> results = co_await target->api->Fetch(*status);
      if (!results.ok()) {
        spdlog::warn("batch {}: cannot fetch the results of provider batch {}: {}", batch_id_,
                     submission.upstream_id, results.status().ToString());
        co_return OkStatus();
      }
      if (results->malformed > 0) {
        spdlog::warn("batch {}: provider batch {}: {} result lines do not parse", batch_id_,
                     submission.upstream_id, results->malformed);
      }
      LineVerdicts verdicts =
          ResolveLines(ItemsOf(submission), *results, *target->api, TimesSent(submission), resolve);
      co_return co_await Settle(submission, std::move(verdicts));
    }
    case UpstreamState::kFailed: {
      // A queue limit passes; anything else is the lines' own fault.
      bool retryable = status->error_code == "token_limit_exceeded";
      std::string message =
          fmt::format("The provider refused its batch {}: {}", submission.upstream_id,
                      status->error_message.empty() ? status->error_code : status->error_message);
      std::string code =
          status->error_code.empty() ? std::string("provider_batch_failed") : status->error_code;
      LineVerdicts verdicts = ResolveUnanswered(ItemsOf(submission), retryable, code, message,
                                                TimesSent(submission), resolve);
      co_return co_await Settle(submission, std::move(verdicts));
    }
    case UpstreamState::kNotFound: {
      spdlog::warn("batch {}: provider batch {} is unknown upstream; its lines are sent again",
                   batch_id_, submission.upstream_id);
      std::string message =
          fmt::format("The provider no longer knows its batch {}.", submission.upstream_id);
      LineVerdicts verdicts =
          ResolveUnanswered(ItemsOf(submission), true, "provider_batch_not_found", message,
                            TimesSent(submission), resolve);
      co_return co_await Settle(submission, std::move(verdicts));
    }
  }
  co_return OkStatus();
}

asio::awaitable<Status> ProviderBatchRunner::Run(std::string batch_id, ProviderBatchState state,
                                                 RecordOf record_of) {
  batch_id_ = batch_id;
  state_ = std::move(state);
  record_of_ = std::move(record_of);
  auto expire = [this, batch_id] { return store_.ExpireLeases(batch_id); };
  SLUICE_CO_RETURN_IF_ERROR(co_await OnStore<Status>(expire));
  WallTime now = clock_.WallNow();
  auto lease = [this, batch_id, now] {
    return store_.LeaseItems(batch_id, std::numeric_limits<std::size_t>::max(), now, kLease);
  };
  Result<std::vector<batch::LeasedItem>> leased =
      co_await OnStore<Result<std::vector<batch::LeasedItem>>>(lease);
  if (!leased.ok()) co_return leased.status();
  for (batch::LeasedItem& item : *leased) items_[item.item.index] = std::move(item);
  if (max_cost_) {
    auto count = [this, batch_id] { return store_.CountItems(batch_id); };
    Result<batch::ItemCounts> counts = co_await OnStore<Result<batch::ItemCounts>>(count);
    if (!counts.ok()) co_return counts.status();
    spent_ = counts->cost_nanousd;  // what earlier runs spent counts against the cap
  }
  for (const auto& [index, item] : items_) {
    if (!targets_.contains(item.item.model)) {
      co_return FailedPreconditionError("model " + item.item.model +
                                        " has no deployment with a batch API (openai or "
                                        "anthropic) for provider mode");
    }
  }
  while (!stopping_) {
    TimePoint wake_at = TimePoint::max();
    SLUICE_CO_RETURN_IF_ERROR(co_await MoveIfLate(wake_at));
    if (moved_) co_return AbortedError("moved to real time: " + *moved_);
    if (!cancelled_) SLUICE_CO_RETURN_IF_ERROR(co_await SubmitPending());
    bool any_open = false;
    for (Submission& s : state_.submissions) {
      if (!s.open) continue;
      TimePoint& due =
          next_poll_.try_emplace(s.id, clock_.Now() + options_.poll_interval).first->second;
      if (due <= clock_.Now() || cancelled_) {
        SLUICE_CO_RETURN_IF_ERROR(co_await PollOnce(s));
        if (!s.open) continue;
        Duration& backoff = backoff_.try_emplace(s.id, options_.poll_interval).first->second;
        backoff = std::min(backoff * 2, options_.max_poll_interval);
        due = clock_.Now() + backoff;
      }
      any_open = true;  // still open after its poll
      wake_at = std::min(wake_at, due);
    }
    if (!any_open && cancelled_) co_return CancelledError("the batch was cancelled");
    if (!any_open && budget_paused_) {
      co_return ResourceExhaustedError(
          "paused for budget: the batch's max cost leaves no room for its next provider batch");
    }
    if (!any_open && items_.empty()) co_return OkStatus();
    if (!any_open) continue;  // lines to send again: submit them at once
    co_await (http::SleepUntil(clock_, wake_at) || wake_.Wait());
  }
  co_return CancelledError("provider mode stopped; its provider batches are polled on resume");
}

}  // namespace sluice::provider_batch
