// ProviderBatchRunner's guards: the batch's deadline (a late batch moves its unfinished lines to
// real time) and its cost cap (only what fits is submitted). Threading: as the runner's.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "cost/budget.h"
#include "http/offload.h"
#include "provider_batch/provider_batch_runner.h"

namespace sluice::provider_batch {
namespace asio = boost::asio;

std::optional<std::int64_t> ProviderBatchRunner::BudgetLeft() {
  if (!max_cost_) return std::nullopt;
  std::int64_t reserved = 0;
  for (const Submission& s : state_.submissions) {
    ProviderTarget* target = s.open ? TargetOf(s) : nullptr;
    if (target == nullptr) continue;
    for (const batch::LeasedItem& leased : ItemsOf(s)) {
      reserved += cost::ReservationOf(target->prices, leased.item.estimated_tokens);
    }
  }
  return std::max<std::int64_t>(0, *max_cost_ - spent_ - reserved);
}

void ProviderBatchRunner::FitBudget(std::vector<const batch::LeasedItem*>& lines,
                                    const ProviderTarget& target, std::int64_t& left) {
  std::size_t fit = 0;
  for (; fit < lines.size(); ++fit) {
    std::int64_t most = cost::ReservationOf(target.prices, lines[fit]->item.estimated_tokens);
    if (most > left) break;
    left -= most;
  }
  if (fit < lines.size()) budget_paused_ = true;
  lines.resize(fit);
}

asio::awaitable<Status> ProviderBatchRunner::MoveIfLate(TimePoint& wake_at) {
  if (!deadline_ || cancelled_ || items_.empty()) co_return OkStatus();
  TimePoint now = clock_.Now();
  TimePoint deadline =
      now + std::chrono::duration_cast<Duration>(deadline_->at - clock_.WallNow());
  std::map<std::string, cost::Workload> remaining;
  for (const auto& [index, leased] : items_) {
    cost::Workload& work = remaining[leased.item.model];
    ++work.requests;
    work.tokens += leased.item.estimated_tokens;
    work.input_tokens += leased.item.estimated_tokens;
  }
  std::optional<cost::LateMove> due;
  for (const auto& [model, work] : remaining) {
    cost::Throughput capacity = deadline_->throughput ? deadline_->throughput(model)
                                                      : cost::Throughput{};
    cost::LateMove late = cost::ShouldMoveToRealtime(now, deadline, work, capacity, deadline_->late);
    if (!due || late.latest < due->latest) due = late;
  }
  if (!due->move) {
    wake_at = std::min(wake_at, due->latest);
    co_return OkStatus();
  }
  spdlog::warn("batch {}: moving its unfinished lines to real time: {}", batch_id_, due->reason);
  for (Submission& s : state_.submissions) {
    if (!s.open) continue;
    ProviderTarget* target = TargetOf(s);
    if (target && !s.upstream_id.empty() && s.cancelled.empty()) {
      Status cancel = co_await target->api->Cancel(s.upstream_id);
      if (!cancel.ok()) spdlog::warn("batch {}: cancel upstream: {}", batch_id_, cancel.ToString());
    }
    // Closed unread: what it still returns is not this batch's any more.
    s.cancelled = "moved";
    s.open = false;
  }
  SLUICE_CO_RETURN_IF_ERROR(co_await Save());
  std::string id = batch_id_;
  auto expire = [this, id] { return store_.ExpireLeases(id); };
  SLUICE_CO_RETURN_IF_ERROR(co_await http::Offload<Status>(store_executor_, io_, expire));
  moved_ = due->reason;
  co_return OkStatus();
}

}  // namespace sluice::provider_batch
