// baseline_client: the clients sluice is measured against (bench/scenarios.sh,
// bench/run_throughput.sh). Reads an OpenAI batch-input JSONL file and POSTs every line's body to
// BASE_URL + its url with a fixed number of concurrent workers on one http::Client, each line
// until it gets an answer that is not a 429, 408, 409 or 5xx (or --max-attempts). No store, no
// output file.
//  - Without --rpm/--tpm: no limiter at all. A 429 waits for the provider's retry-after-ms or
//    retry-after, other failures the SDKs' backoff (0.5 s doubling, at most 8 s): a plain client
//    on an OpenAI SDK.
//  - With --rpm and --tpm: two continuously refilled buckets of those limits; each request is
//    charged sluice's admission estimate (tokens::EstimateRequest, the mock's own formula) and
//    nothing ever corrects them (no usage, no headers); after any 429 every worker pauses for
//    --pause (15 s): the common hand-written approach.
// Prints "baseline: N lines in W s; S sent, R answered 429, X retries, F failed" and
// "requests/s: Q". Exits 0 when every line got a 200. Single-threaded: one io_context.
// Usage: baseline_client FILE BASE_URL [--concurrency N] [--rpm R --tpm T] [--pause 15s]
//                        [--max-attempts N]          (BASE_URL e.g. http://127.0.0.1:8081)
#include <simdjson.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.h"
#include "http/client.h"
#include "ratelimit/token_bucket.h"
#include "tokens/request_estimate.h"

namespace {

namespace asio = boost::asio;
using sluice::Duration;
using sluice::TimePoint;
using namespace std::chrono_literals;

struct Options {
  const char* file = nullptr;
  std::string base_url;
  int concurrency = 64;
  std::int64_t rpm = 0;
  std::int64_t tpm = 0;
  Duration pause = 15s;
  int max_attempts = 1000000;
};

struct Line {
  std::string url;
  std::string body;
  double tokens = 0;  // the admission estimate
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "baseline_client: %s\n", message.c_str());
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  if (argc < 3) {
    Die("usage: baseline_client FILE BASE_URL [--concurrency N] [--rpm R --tpm T] [--pause 15s] "
        "[--max-attempts N]");
  }
  Options o;
  o.file = argv[1];
  o.base_url = argv[2];
  for (int i = 3; i < argc; i += 2) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) Die("missing value for " + std::string(flag));
    const char* value = argv[i + 1];
    if (flag == "--concurrency") {
      o.concurrency = std::atoi(value);
    } else if (flag == "--rpm") {
      o.rpm = std::atoll(value);
    } else if (flag == "--tpm") {
      o.tpm = std::atoll(value);
    } else if (flag == "--max-attempts") {
      o.max_attempts = std::atoi(value);
    } else if (flag == "--pause") {
      auto pause = sluice::ParseDuration(value);
      if (!pause.ok()) Die("--pause: " + pause.status().ToString());
      o.pause = *pause;
    } else {
      Die("unknown flag " + std::string(flag));
    }
  }
  if (o.concurrency <= 0 || o.max_attempts <= 0 || o.rpm < 0 || o.tpm < 0) {
    Die("--concurrency and --max-attempts must be > 0, --rpm and --tpm >= 0");
  }
  if ((o.rpm > 0) != (o.tpm > 0)) Die("--rpm and --tpm go together");
  return o;
}

// The (url, body, admission estimate) of every non-blank line; exits on a line that is not a
// batch request.
std::vector<Line> ReadLines(const char* path) {
  std::ifstream in(path);
  if (!in) Die(std::string("cannot read ") + path);
  simdjson::dom::parser parser;
  std::vector<Line> lines;
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty()) continue;
    simdjson::dom::element line;
    std::string_view url;
    simdjson::dom::element body;
    if (parser.parse(text).get(line) != simdjson::SUCCESS ||
        line["url"].get_string().get(url) != simdjson::SUCCESS ||
        line["body"].get(body) != simdjson::SUCCESS) {
      Die("line " + std::to_string(lines.size() + 1) + " is not a batch request");
    }
    Line parsed{std::string(url), simdjson::minify(body), 0};
    auto estimate = sluice::tokens::EstimateRequest(parsed.url, parsed.body, {});
    if (estimate.ok()) parsed.tokens = static_cast<double>(estimate->total());
    lines.push_back(std::move(parsed));
  }
  return lines;
}

struct Run {
  Options options;
  std::vector<Line> lines;
  sluice::http::Client* client = nullptr;
  std::size_t next = 0;
  std::optional<sluice::ratelimit::TokenBucket> requests;  // set with --rpm/--tpm
  std::optional<sluice::ratelimit::TokenBucket> tokens;
  TimePoint paused_until{};
  std::size_t sent = 0;
  std::size_t rate_limited = 0;
  std::size_t retries = 0;
  std::size_t failed = 0;
};

TimePoint Now() { return std::chrono::steady_clock::now(); }

bool Retryable(int status) {
  return status == 0 || status == 408 || status == 409 || status == 429 || status >= 500;
}

// What the provider asked for (retry-after-ms, else retry-after), else the SDKs' backoff.
Duration RetryDelay(const sluice::Result<sluice::http::Response>& answer, int attempt) {
  if (answer.ok()) {
    if (auto ms = answer->headers.Get("retry-after-ms")) {
      return std::chrono::duration_cast<Duration>(
          std::chrono::duration<double, std::milli>(std::atof(std::string(*ms).c_str())));
    }
    if (auto s = answer->headers.Get("retry-after")) {
      return std::chrono::duration_cast<Duration>(
          std::chrono::duration<double>(std::atof(std::string(*s).c_str())));
    }
  }
  double seconds = std::min(0.5 * static_cast<double>(1 << std::min(attempt - 1, 10)), 8.0);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

// Waits until both buckets hold `tokens` (and one request) and no pause is on, then takes them.
asio::awaitable<void> TakeBudget(Run* run, double tokens) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (true) {
    TimePoint now = Now();
    TimePoint when = std::max(now, run->paused_until);
    when = std::max(when, run->requests->WhenAvailable(1, now));
    when = std::max(when, run->tokens->WhenAvailable(tokens, now));
    if (when <= now) {
      (void)run->requests->TryTake(1, now);
      (void)run->tokens->TryTake(tokens, now);
      co_return;
    }
    timer.expires_at(when);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<void> Sleep(Duration duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> Worker(Run* run) {
  while (run->next < run->lines.size()) {
    const Line& line = run->lines[run->next++];
    for (int attempt = 1;; ++attempt) {
      if (run->requests) co_await TakeBudget(run, line.tokens);
      sluice::http::ClientRequest request;
      request.url = run->options.base_url + line.url;
      request.headers.Set("Content-Type", "application/json");
      request.headers.Set("Authorization", "Bearer sk-bench");
      request.body = line.body;
      ++run->sent;
      auto answer = co_await run->client->Send(std::move(request));
      int status = answer.ok() ? answer->status : 0;
      if (status == 429) ++run->rate_limited;
      if (!Retryable(status) || attempt >= run->options.max_attempts) {
        if (status != 200) ++run->failed;
        break;
      }
      ++run->retries;
      if (run->requests && status == 429) {
        run->paused_until = std::max(run->paused_until, Now() + run->options.pause);
        continue;  // TakeBudget waits out the pause
      }
      co_await Sleep(RetryDelay(answer, attempt));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Run run;
  run.options = ParseArgs(argc, argv);
  run.lines = ReadLines(run.options.file);
  asio::io_context io(1);
  sluice::http::ClientOptions client_options;
  client_options.max_connections_per_origin = static_cast<std::size_t>(run.options.concurrency);
  auto client = sluice::http::Client::Create(io.get_executor(), client_options);
  run.client = client.get();
  TimePoint start = Now();
  if (run.options.rpm > 0) {
    run.requests.emplace(static_cast<double>(run.options.rpm), 60s, start);
    run.tokens.emplace(static_cast<double>(run.options.tpm), 60s, start);
  }
  for (int i = 0; i < run.options.concurrency; ++i) {
    asio::co_spawn(io, Worker(&run), asio::detached);
  }
  io.run();
  double seconds = std::chrono::duration<double>(Now() - start).count();
  std::printf("baseline: %zu lines in %.3fs; %zu sent, %zu answered 429, %zu retries, %zu failed\n",
              run.lines.size(), seconds, run.sent, run.rate_limited, run.retries, run.failed);
  std::printf("requests/s: %.0f\n",
              seconds > 0 ? static_cast<double>(run.lines.size()) / seconds : 0);
  return run.failed == 0 ? 0 : 1;
}
