#include "cli/progress_line.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "cli/table.h"

namespace sluice::cli {
namespace {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

std::string Compact(double n) {
  if (n >= 1e6) return fmt::format("{:.1f}M", n / 1e6);
  if (n >= 1e4) return fmt::format("{:.1f}k", n / 1e3);
  return fmt::format("{:.0f}", n);
}

// Why a report has no cost: the models whose price is unknown.
std::string UnknownPrices(const runtime::RunReport& r) {
  if (r.unpriced_models.empty()) return "cost: unknown\n";
  return fmt::format("cost: price unknown for {} (set prices: in the config)\n",
                     fmt::join(r.unpriced_models, ", "));
}

// The dry run's modes, one row each: what each may cost and the time it needs.
std::string ModesTable(const runtime::DryRunPlan& plan) {
  auto row = [](std::string name, const runtime::ModeFigures& m, std::string time) {
    std::string cost = m.cost_usd ? fmt::format("${:.4f}", *m.cost_usd) : "price unknown";
    if (!m.available) return TableRow{std::move(name), "-", "-", m.note};
    return TableRow{std::move(name), std::move(cost), std::move(time), m.note};
  };
  std::string text = FormatTable(
      {"mode", "cost at most", "time", "how"},
      {row("realtime", plan.realtime, FormatDuration(Seconds(plan.realtime.duration))),
       row("provider", plan.provider, "up to " + FormatDuration(Seconds(plan.provider.duration)))});
  text += fmt::format("auto would run it {}: {}\n", cost::ModeName(plan.choice.mode),
                      fmt::join(plan.choice.reasons, "; "));
  return text;
}

}  // namespace

std::string FormatProgress(const scheduler::Progress& p, double requests_per_second,
                           double tokens_per_second) {
  std::int64_t done = p.succeeded + p.failed;
  std::string line = fmt::format("done {}/{}", done, p.total);
  if (p.failed > 0) line += fmt::format(" ({} failed)", p.failed);
  line +=
      fmt::format("  retrying {}  in flight {}  {:.1f} req/s  {} tok/s  429s {}", p.waiting_retry,
                  p.in_flight, requests_per_second, Compact(tokens_per_second), p.rate_limited);
  if (requests_per_second > 0 && done < p.total) {
    line += "  ETA " + FormatDuration(static_cast<double>(p.total - done) / requests_per_second);
  }
  return line;
}

void ProgressLine::Update(const scheduler::Progress& p, Duration elapsed) {
  double window = Seconds(elapsed - last_elapsed_);
  double rps = 0;
  double tps = 0;
  if (window > 0) {
    rps = static_cast<double>(p.succeeded + p.failed - last_.succeeded - last_.failed) / window;
    tps = static_cast<double>(p.prompt_tokens + p.completion_tokens - last_.prompt_tokens -
                              last_.completion_tokens) /
          window;
  }
  last_ = p;
  last_elapsed_ = elapsed;
  std::string line = FormatProgress(p, rps, tps);
  if (tty_) {
    out_ << "\r\033[K" << line << std::flush;
    drawn_ = true;
  } else {
    spdlog::info("{}", line);
  }
}

void ProgressLine::Clear() {
  if (drawn_) out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

std::string RunSummary(const runtime::RunReport& r) {
  const scheduler::Progress& p = r.progress;
  double wall = Seconds(r.wall);
  std::string text = fmt::format(
      "{} {}: {} requests, {} succeeded, {} failed{}\n", r.resumed ? "resumed" : "batch",
      r.batch_id, p.total + r.ingest.invalid, p.succeeded, p.failed,
      r.ingest.invalid > 0 ? fmt::format(" ({} invalid lines)", r.ingest.invalid) : "");
  text += fmt::format("tokens: {} in, {} out\n", p.prompt_tokens, p.completion_tokens);
  text += fmt::format("wall time {:.2f}s ({:.1f} req/s); least the limits allow {:.2f}s\n", wall,
                      wall > 0 ? static_cast<double>(p.sent) / wall : 0.0,
                      Seconds(r.estimated_duration));
  if (r.decision) text += "mode: " + api::DescribeModeDecision(*r.decision) + "\n";
  if (r.mode == config::BatchMode::kProvider) {
    text +=
        fmt::format("provider mode: {} lines sent in {} provider batches, {} of them sent again\n",
                    p.sent, r.provider_batches, p.retries);
  } else {
    text += fmt::format("sent {} attempts: {} retries, {} answered 429\n", p.sent, p.retries,
                        p.rate_limited);
  }
  if (p.fallbacks > 0) {
    text += fmt::format("fallbacks: {} requests went on to a fallback model\n", p.fallbacks);
  }
  if (r.dedup_requests_saved > 0) {
    text += fmt::format(
        "dedup: {} requests not sent (identical lines share one answer), ${:.6f} "
        "saved\n",
        r.dedup_requests_saved, r.dedup_saved_usd);
  }
  text += r.cost ? fmt::format("cost of this run: ${:.4f}\n", *r.cost) : UnknownPrices(r);
  if (r.batch_cost && (r.resumed || (r.decision && r.decision->moved_at))) {
    text += fmt::format("cost of the whole batch, earlier runs included: ${:.6f}\n", *r.batch_cost);
  }
  return text;
}

std::string DryRunSummary(const runtime::RunReport& r) {
  const batch::RequestTotals& t = r.ingest.totals;
  std::string text =
      fmt::format("dry run: {} requests, {} invalid lines\n", t.requests, r.ingest.invalid);
  text += fmt::format("estimated tokens: {} prompt + {} output cap = {}\n", t.prompt_tokens,
                      t.max_output_tokens, t.prompt_tokens + t.max_output_tokens);
  text += t.exact_prompts == t.requests
              ? std::string("prompt tokens: exact (every model's encoding is known)\n")
              : fmt::format(
                    "prompt tokens: exact for {} requests, about 4 characters a token for "
                    "the other {}\n",
                    t.exact_prompts, t.requests - t.exact_prompts);
  for (const auto& [model, m] : r.ingest.by_model) {
    text += fmt::format("  {}: {} requests, {} tokens\n", model, m.requests,
                        m.prompt_tokens + m.max_output_tokens);
  }
  if (r.ingest.duplicates > 0) {
    text += fmt::format("dedup: {} lines repeat an earlier line and would not be sent\n",
                        r.ingest.duplicates);
  }
  text += fmt::format("least time at the configured limits: {}\n",
                      FormatDuration(Seconds(r.estimated_duration)));
  text += r.maximum_cost ? fmt::format("estimated cost: at most ${:.4f} (every output cap used)\n",
                                       *r.maximum_cost)
                         : UnknownPrices(r);
  if (r.plan) text += ModesTable(*r.plan);
  text += "nothing was sent\n";
  return text;
}

}  // namespace sluice::cli
