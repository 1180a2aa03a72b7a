// Fuzzes the provider answer decoders: an upstream response (status, headers from the names that
// carry limits and retry hints, any body) through both adapters' Decode, both providers'
// limit-hint readers and the verdict table; the body also as a request to Encode and as a stream
// to the Anthropic stream decoder, fed in two pieces. Checks that a verdict always has a matching
// Status, that waits and budgets read from the answer are never negative, that what the Anthropic
// adapter relays is valid JSON, and that where a stream is split does not change its translation.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "providers/provider.h"

namespace {

using sluice::providers::LimitHints;
using sluice::providers::Verdict;

constexpr std::array<const char*, 20> kHeaderNames = {
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "retry-after",
    "retry-after-ms",
    "x-should-retry",
    "x-request-id",
    "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-input-tokens-limit",
    "anthropic-ratelimit-input-tokens-remaining",
    "anthropic-ratelimit-input-tokens-reset",
    "anthropic-ratelimit-output-tokens-limit",
    "anthropic-ratelimit-output-tokens-remaining",
    "anthropic-ratelimit-output-tokens-reset",
    "content-type",
};

void CheckHints(const LimitHints& hints) {
  if (hints.retry_after && *hints.retry_after < sluice::Duration::zero()) std::abort();
  for (const auto& hint : hints.budgets) {
    if (hint.reset && *hint.reset < sluice::Duration::zero()) std::abort();
    if (hint.limit && *hint.limit < 0) std::abort();
    if (hint.remaining && *hint.remaining < 0) std::abort();
  }
}

bool IsJsonObject(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  return !ec && parsed.is_object();
}

// The Anthropic adapter on the same answer: a body in OpenAI's shape whatever came; the body as
// a chat request translates to JSON or is refused; as a stream, the same bytes out wherever it
// is split at `split`.
void CheckAnthropic(const sluice::http::Response& response, std::size_t split) {
  static sluice::FakeClock clock;
  auto anthropic = sluice::providers::MakeAnthropicProvider(
      {"https://api.example", "sk-ant", "claude", "claude#0"}, {.clock = &clock});
  sluice::providers::Outcome outcome = anthropic->Decode(response);
  if ((outcome.verdict == Verdict::kSuccess) != outcome.status.ok()) std::abort();
  if (outcome.verdict != Verdict::kRetry && !IsJsonObject(outcome.body)) std::abort();
  CheckHints(outcome.hints);

  auto encoded = anthropic->Encode("/v1/chat/completions", response.body);
  if (const auto* request = std::get_if<sluice::http::ClientRequest>(&encoded)) {
    if (request->url != "https://api.example/v1/messages") std::abort();
    if (!IsJsonObject(request->body)) std::abort();
  }

  std::string_view body = response.body;
  split = std::min(split, body.size());
  auto whole = anthropic->DecodeStream(200, response.headers,
                                       R"({"stream_options":{"include_usage":true}})");
  auto pieces = anthropic->DecodeStream(200, response.headers,
                                        R"({"stream_options":{"include_usage":true}})");
  std::string relayed = whole->Feed(body);
  std::string split_relayed = pieces->Feed(body.substr(0, split));
  split_relayed += pieces->Feed(body.substr(split));
  if (relayed != split_relayed) std::abort();
  sluice::providers::Outcome streamed = whole->Finish(sluice::OkStatus());
  if ((streamed.verdict == Verdict::kSuccess) != streamed.status.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  sluice::http::Response response;
  response.status = provider.ConsumeBool() ? 429 : provider.ConsumeIntegralInRange(100, 599);
  int fields = provider.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < fields; ++i) {
    const char* name =
        kHeaderNames[provider.ConsumeIntegralInRange<std::size_t>(0, kHeaderNames.size() - 1)];
    response.headers.Add(name, provider.ConsumeRandomLengthString(40));
  }
  std::size_t split = provider.ConsumeIntegral<std::uint16_t>();
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
  auto encoded = openai->Encode("/v1/chat/completions", response.body);
  const auto& request = std::get<sluice::http::ClientRequest>(encoded);
  if (request.url != "https://api.example/v1/chat/completions") std::abort();

  CheckAnthropic(response, split);
  return 0;
}
