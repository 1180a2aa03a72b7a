// Fuzzes the provider answer decoders: an upstream response (status, headers from the names that
// carry limits and retry hints, any body) through the OpenAI adapter's Decode, both providers'
// limit-hint readers and the verdict table. Checks that a verdict always has a matching Status
// and that waits and budgets read from the answer are never negative.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "providers/provider.h"

namespace {

using sluice::providers::LimitHints;
using sluice::providers::Verdict;

constexpr std::array<const char*, 20> kHeaderNames = {
    "x-ratelimit-limit-requests",        "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",        "x-ratelimit-reset-tokens",
    "retry-after",                       "retry-after-ms",
    "x-should-retry",                    "x-request-id",
    "anthropic-ratelimit-requests-limit",     "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-requests-reset",     "anthropic-ratelimit-input-tokens-limit",
    "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset",
    "anthropic-ratelimit-output-tokens-limit",    "anthropic-ratelimit-output-tokens-remaining",
    "anthropic-ratelimit-output-tokens-reset",    "content-type",
};

void CheckHints(const LimitHints& hints) {
  if (hints.retry_after && *hints.retry_after < sluice::Duration::zero()) std::abort();
  for (const auto& hint : hints.budgets) {
    if (hint.reset && *hint.reset < sluice::Duration::zero()) std::abort();
    if (hint.limit && *hint.limit < 0) std::abort();
    if (hint.remaining && *hint.remaining < 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  sluice::http::Response response;
  response.status = provider.ConsumeBool() ? 429 : provider.ConsumeIntegralInRange(100, 599);
  int fields = provider.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < fields; ++i) {
    const char* name = kHeaderNames[provider.ConsumeIntegralInRange<std::size_t>(
        0, kHeaderNames.size() - 1)];
    response.headers.Add(name, provider.ConsumeRandomLengthString(40));
  }
  response.body = provider.ConsumeRemainingBytesAsString();

  auto openai = sluice::providers::MakeOpenAiProvider({"https://api.example/v1", "sk-x", "m"});
  sluice::providers::Outcome outcome = openai->Decode(response);
  if ((outcome.verdict == Verdict::kSuccess) != outcome.status.ok()) std::abort();
  if (outcome.status_code != response.status) std::abort();
  CheckHints(outcome.hints);
  if (outcome.retry_after && *outcome.retry_after < sluice::Duration::zero()) std::abort();

  // 2026-01-01T00:00:00Z: resets in the past read as zero, in the future as the time left.
  sluice::WallTime now{std::chrono::seconds(1767225600)};
  LimitHints anthropic = sluice::providers::ParseAnthropicLimitHints(response, now);
  CheckHints(anthropic);
  auto verdict = sluice::providers::ClassifyResponse(response.status, anthropic, response.body);
  if ((verdict.verdict == Verdict::kSuccess) != verdict.status.ok()) std::abort();

  // The same bytes as a request body: the adapter swaps the model in without breaking it.
  sluice::http::ClientRequest request = openai->Encode("/v1/chat/completions", response.body);
  if (request.url != "https://api.example/v1/chat/completions") std::abort();
  return 0;
}
