#include "provider_batch/line_results.h"

#include <fmt/format.h>

#include "batch/failure_code.h"
#include "scheduler/result_of.h"

namespace sluice::provider_batch {
namespace {

batch::ResultRecord ErrorResult(const batch::LeasedItem& leased, const std::string& code,
                                const std::string& message) {
  batch::ResultRecord result;
  result.index = leased.item.index;
  result.custom_id = leased.item.custom_id;
  result.error_code = code;
  result.error_message = message;
  result.cost_nanousd = 0;  // never executed: nothing billed
  result.failure_code = batch::FailureCodeOf(result);
  return result;
}

bool MaySend(const std::map<std::int64_t, std::int64_t>& times_sent, std::int64_t index,
             const ResolveOptions& options) {
  auto it = times_sent.find(index);
  return !options.batch_cancelled &&
         (it == times_sent.end() ? 0 : it->second) < options.max_submissions;
}

}  // namespace

std::string UpstreamCustomId(std::int64_t index) { return "i" + std::to_string(index); }

LineVerdicts ResolveLines(const std::vector<batch::LeasedItem>& items,
                          const UpstreamResults& results, const BatchApi& api,
                          const std::map<std::int64_t, std::int64_t>& times_sent,
                          const ResolveOptions& options) {
  std::map<std::string, const UpstreamLine*> by_id;
  for (const UpstreamLine& line : results.lines) by_id.emplace(line.custom_id, &line);
  LineVerdicts out;
  for (const batch::LeasedItem& leased : items) {
    std::int64_t index = leased.item.index;
    bool may_send = MaySend(times_sent, index, options);
    auto it = by_id.find(UpstreamCustomId(index));
    if (it == by_id.end()) {
      if (options.batch_cancelled) continue;
      if (may_send) {
        out.resend.push_back(index);
      } else {
        out.results.push_back(ErrorResult(
            leased, "provider_batch_result_missing",
            fmt::format("The provider's batch results had no readable line for this request "
                        "({} unreadable lines).",
                        results.malformed)));
      }
      continue;
    }
    const UpstreamLine& line = *it->second;
    if (line.response) {
      providers::Outcome outcome = api.Decode(*line.response);
      if (outcome.verdict == providers::Verdict::kRetry && may_send) {
        out.resend.push_back(index);
      } else {
        out.results.push_back(scheduler::ResultOf(leased, outcome, options.prices));
      }
      continue;
    }
    bool cancelled = line.error_code == "batch_cancelled";
    if (options.batch_cancelled) {
      continue;  // not executed, and not to be sent again
    } else if (may_send) {
      out.resend.push_back(index);  // expired, or cancelled by sluice for taking too long
    } else if (cancelled) {
      // sluice cancelled it upstream because it ran past provider_batches.max_wait.
      out.results.push_back(ErrorResult(
          leased, "batch_expired",
          "The provider's batch did not end within provider_batches.max_wait, and no later one "
          "ran this request."));
    } else {
      out.results.push_back(ErrorResult(
          leased, line.error_code.empty() ? "batch_expired" : line.error_code,
          line.error_message.empty()
              ? "This request could not be executed before the completion window expired."
              : line.error_message));
    }
  }
  return out;
}

LineVerdicts ResolveUnanswered(const std::vector<batch::LeasedItem>& items, bool retryable,
                               const std::string& code, const std::string& message,
                               const std::map<std::int64_t, std::int64_t>& times_sent,
                               const ResolveOptions& options) {
  LineVerdicts out;
  for (const batch::LeasedItem& leased : items) {
    if (retryable && MaySend(times_sent, leased.item.index, options)) {
      out.resend.push_back(leased.item.index);
    } else {
      out.results.push_back(ErrorResult(leased, code, message));
    }
  }
  return out;
}

cost::Prices Discounted(const cost::Prices& prices, double share) {
  return {prices.input * share, prices.cached_input * share, prices.output * share};
}

std::vector<std::size_t> ChunkSizes(const std::vector<LineSize>& sizes, std::int64_t max_lines,
                                    std::int64_t max_bytes, std::int64_t max_tokens) {
  std::vector<std::size_t> chunks;
  std::size_t lines = 0;
  std::int64_t bytes = 0;
  std::int64_t tokens = 0;
  for (const LineSize& size : sizes) {
    bool full = lines > 0 && (static_cast<std::int64_t>(lines) + 1 > max_lines ||
                              bytes + size.bytes > max_bytes ||
                              (max_tokens > 0 && tokens + size.tokens > max_tokens));
    if (full) {
      chunks.push_back(lines);
      lines = 0;
      bytes = 0;
      tokens = 0;
    }
    ++lines;
    bytes += size.bytes;
    tokens += size.tokens;
  }
  if (lines > 0) chunks.push_back(lines);
  return chunks;
}

}  // namespace sluice::provider_batch
