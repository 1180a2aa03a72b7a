// Dispatcher::FallBack: a batch item whose final answer is of a fallback class goes on to the
// next fallback model, as a new ticket of the same lane with fresh attempts. Its result is the
// last model's answer, recorded with that model's name. On the io executor, like the rest.
#include <spdlog/spdlog.h>

#include "providers/fallback_class_of.h"
#include "scheduler/dispatcher.h"

namespace sluice::scheduler {

bool Dispatcher::FallBack(Ticket ticket, Held& held, const providers::Outcome& outcome) {
  if (options_.fallbacks.empty()) return false;
  std::optional<FallbackClass> failure = providers::FallbackClassOf(outcome);
  if (!failure) return false;
  std::vector<std::string> tried = held.tried;
  if (tried.empty()) tried.push_back(held.leased.item.model);
  std::optional<std::string> next = options_.fallbacks.Next(tried, *failure);
  if (!next) return false;
  spdlog::debug("{} (line {} of batch {}): {} on {}, falling back to {}", held.trace.request_id,
                held.leased.item.custom_id, held.batch->spec.id, FallbackClassName(*failure),
                tried.back(), *next);
  tried.push_back(*next);
  held.tried = std::move(tried);
  held.attempt = 1;
  ticket.not_before = TimePoint{};
  ticket.passed_over = 0;
  ticket.overtaken_until = TimePoint{};
  planner_.Enqueue(*next, ticket);
  if (!held.waiting_retry) ++progress_.waiting_retry;
  held.waiting_retry = true;
  ++progress_.fallbacks;
  return true;
}

void Dispatcher::FallBackQueued(const std::string& model, const providers::Outcome& outcome) {
  if (options_.fallbacks.empty()) return;
  for (const Ticket& ticket : planner_.TakeQueued(model)) {
    auto held = held_.find(ticket.id);  // interactive tickets are not held: they stay
    if (held == held_.end() || !FallBack(ticket, held->second, outcome)) {
      planner_.Enqueue(model, ticket);
    }
  }
}

}  // namespace sluice::scheduler
