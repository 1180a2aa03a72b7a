// The dispatcher's budgets: each batch lane is given what its cost cap and its key's caps leave
// (the planner holds back an item whose reservation does not fit), reservations are taken when an
// item is sent and released when its attempt ends, priced answers are counted, and a batch with
// no room and nothing in flight is paused until a cap is raised or its key's period turns.
// Threading: as Dispatcher (the io executor).
#include <spdlog/spdlog.h>

#include "scheduler/dispatcher.h"

namespace sluice::scheduler {

void Dispatcher::SetKeyBudget(const std::string& tenant, cost::KeyLimits limits) {
  if (!limits.per_day && !limits.per_month) {
    key_budgets_.erase(tenant);
  } else {
    key_budgets_[tenant].SetLimits(limits);
  }
  wake_.Notify();
}

std::optional<std::string> Dispatcher::KeyBudgetExhausted(const std::string& tenant) const {
  auto key = key_budgets_.find(tenant);
  if (key == key_budgets_.end()) return std::nullopt;
  return key->second.Exhausted(clock_.WallNow());
}

bool Dispatcher::SetBatchBudget(const std::string& batch_id,
                                std::optional<std::int64_t> max_cost_nanousd) {
  auto it = batches_.find(batch_id);
  if (it == batches_.end()) return false;
  it->second->budget.SetCap(max_cost_nanousd);
  wake_.Notify();
  return true;
}

std::optional<cost::BudgetState> Dispatcher::BudgetOf(const std::string& batch_id) const {
  auto it = batches_.find(batch_id);
  if (it == batches_.end() || !it->second->started) return std::nullopt;
  const ActiveBatch& batch = *it->second;
  return cost::BudgetState{batch.budget.cap(), batch.budget.spent(), batch.budget.reserved(),
                           batch.paused};
}

void Dispatcher::ApplyBudgets() {
  WallTime wall = clock_.WallNow();
  for (auto& [id, batch] : batches_) {
    if (batch->lane < 0) continue;
    std::optional<std::int64_t> left = batch->budget.Left();
    if (auto key = key_budgets_.find(batch->spec.tenant); key != key_budgets_.end()) {
      std::optional<std::int64_t> key_left = key->second.Left(wall);
      if (key_left) left = left ? std::min(*left, *key_left) : *key_left;
    }
    planner_.SetSpendLimit(batch->lane, left);
  }
}

void Dispatcher::Reserve(Held& held, std::int64_t cost) {
  held.reserved = cost;
  held.batch->budget.Reserve(cost);
  ++held.batch->sending;
  if (auto key = key_budgets_.find(held.batch->spec.tenant); key != key_budgets_.end()) {
    key->second.Reserve(cost);
  }
}

void Dispatcher::Release(Held& held) {
  held.batch->budget.Release(held.reserved);
  --held.batch->sending;
  if (auto key = key_budgets_.find(held.batch->spec.tenant); key != key_budgets_.end()) {
    key->second.Release(held.reserved);
  }
  held.reserved = 0;
}

void Dispatcher::Spend(ActiveBatch* batch, const std::string& tenant, std::int64_t nanousd) {
  if (batch != nullptr) batch->budget.Spend(nanousd);
  if (auto key = key_budgets_.find(tenant); key != key_budgets_.end()) {
    key->second.Spend(nanousd, clock_.WallNow());
  }
}

std::string Dispatcher::PauseReason(const ActiveBatch& batch) const {
  WallTime wall = clock_.WallNow();
  if (auto key = key_budgets_.find(batch.spec.tenant); key != key_budgets_.end()) {
    std::optional<std::int64_t> key_left = key->second.Left(wall);
    std::optional<std::int64_t> own_left = batch.budget.Left();
    if (key_left && (!own_left || *key_left < *own_left)) {
      std::optional<std::string> spent = key->second.Exhausted(wall);
      return "gateway key '" + batch.spec.tenant + "': " +
             spent.value_or("what its budget has left (" + cost::FormatUsd(*key_left) +
                            ") is less than the next request may cost; it resets at the next "
                            "UTC day or month");
    }
  }
  return "its max cost of " + cost::FormatUsd(batch.budget.cap().value_or(0)) + " is reached (" +
         cost::FormatUsd(batch.budget.spent()) +
         " spent; the next request may cost more than the " +
         cost::FormatUsd(batch.budget.Left().value_or(0)) + " left)";
}

std::optional<TimePoint> Dispatcher::NotePauses() {
  std::optional<TimePoint> turn;
  WallTime wall = clock_.WallNow();
  for (auto& [id, batch] : batches_) {
    bool held = batch->lane >= 0 && batch->sending == 0 && planner_.HeldBySpendLimit(batch->lane);
    if (held && !batch->paused) {
      batch->paused = PauseReason(*batch);
      spdlog::info("batch {} paused for budget: {}; its items stay queued until a cap is raised",
                   id, *batch->paused);
      batch->changed.Notify();
    } else if (!held && batch->paused && batch->lane >= 0) {
      spdlog::info("batch {} resumed: its budget has room again", id);
      batch->paused.reset();
      batch->changed.Notify();
    }
    auto key = key_budgets_.find(batch->spec.tenant);
    if (held && key != key_budgets_.end()) {
      TimePoint at = clock_.Now() + (key->second.NextReset(wall) - wall);
      if (!turn || at < *turn) turn = at;
    }
  }
  return turn;
}

}  // namespace sluice::scheduler
