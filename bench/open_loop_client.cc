// open_loop_client: the load generator of bench/proxy_latency.sh. Sends one fixed POST body at a
// fixed rate (open loop: request i is due at start + i / RATE whether or not earlier ones have been
// answered) over keep-alive connections of one http::Client, and reports the latency of each
// answer measured from its scheduled send time, so a stall delays the clock of every request
// queued behind it (no coordinated omission). The first WARMUP seconds open the connections and
// are not counted. Also reports the generator's own send lag (actual send - scheduled send).
// Single-threaded: one io_context on the main thread.
// Usage: open_loop_client URL BODY_FILE RATE SECONDS [CONNECTIONS] [WARMUP] [DUMP_FILE]
//   e.g. open_loop_client http://127.0.0.1:8081/v1/chat/completions body.json 1000 10 64 1
// BODY_FILE "-" sends GETs without a body. SIGINT or SIGTERM ends the sending early (the answers
// still due are awaited and reported). DUMP_FILE gets one "SCHEDULED_UNIX_US LATENCY_US STATUS"
// line per counted request, for a script to cut out a window of time.
// Prints a human summary and one "result ..." line of key=value pairs (microseconds) for scripts.
// Exit 0 when every counted request got a 200, 1 otherwise, 2 on bad arguments.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "http/client.h"

namespace {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

struct Plan {
  std::string url;
  std::string body;
  bool get = false;  // BODY_FILE "-"
  std::string dump_path;
  double rate = 0;     // requests per second
  double seconds = 0;  // counted part
  double warmup = 0;   // uncounted part before it
  std::size_t connections = 0;
};

struct Run {
  const Plan* plan = nullptr;
  sluice::http::Client* client = nullptr;
  std::vector<double> latency_us;       // counted requests: answer - scheduled send
  std::vector<double> send_lag_us;      // counted requests: actual send - scheduled send
  std::vector<double> scheduled_us;     // counted requests: scheduled send - start
  std::vector<int> status_of;           // counted requests, in the order of latency_us
  std::map<int, std::size_t> statuses;  // counted requests; 0: no response
  SteadyClock::time_point start;
  bool stopping = false;  // a signal came: send no more
};

[[noreturn]] void Usage(const char* problem) {
  std::fprintf(stderr, "open_loop_client: %s\n", problem);
  std::fprintf(
      stderr,
      "usage: open_loop_client URL BODY_FILE RATE SECONDS [CONNECTIONS] [WARMUP] [DUMP_FILE]\n");
  std::exit(2);
}

Plan ParsePlan(int argc, char** argv) {
  if (argc < 5) Usage("missing arguments");
  Plan plan;
  plan.url = argv[1];
  plan.get = std::string(argv[2]) == "-";
  if (!plan.get) {
    std::ifstream in(argv[2]);
    if (!in) Usage("cannot read the body file");
    std::stringstream text;
    text << in.rdbuf();
    plan.body = text.str();
  }
  plan.rate = std::atof(argv[3]);
  plan.seconds = std::atof(argv[4]);
  plan.connections = argc > 5 ? static_cast<std::size_t>(std::atol(argv[5])) : 64;
  plan.warmup = argc > 6 ? std::atof(argv[6]) : 1;
  plan.dump_path = argc > 7 ? argv[7] : "";
  if (plan.rate <= 0 || plan.seconds <= 0 || plan.connections == 0 || plan.warmup < 0) {
    Usage("RATE, SECONDS and CONNECTIONS must be > 0, WARMUP >= 0");
  }
  return plan;
}

double Microseconds(SteadyClock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

asio::awaitable<void> SendOne(Run* run, SteadyClock::time_point scheduled, bool counted) {
  sluice::http::ClientRequest request;
  request.url = run->plan->url;
  request.headers.Set("Authorization", "Bearer sk-bench");
  if (run->plan->get) {
    request.method = "GET";
  } else {
    request.headers.Set("Content-Type", "application/json");
    request.body = run->plan->body;
  }
  SteadyClock::time_point sent = SteadyClock::now();
  auto answer = co_await run->client->Send(std::move(request));
  SteadyClock::time_point answered = SteadyClock::now();
  if (!counted) co_return;
  run->latency_us.push_back(Microseconds(answered - scheduled));
  run->send_lag_us.push_back(Microseconds(sent - scheduled));
  run->scheduled_us.push_back(Microseconds(scheduled - run->start));
  run->status_of.push_back(answer.ok() ? answer->status : 0);
  ++run->statuses[run->status_of.back()];
}

// Spawns request i at start + i / rate; the first warmup * rate are not counted.
asio::awaitable<void> Schedule(Run* run) {
  const Plan& plan = *run->plan;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  const auto warmup = static_cast<std::size_t>(plan.warmup * plan.rate);
  const auto total = warmup + static_cast<std::size_t>(plan.seconds * plan.rate);
  const double interval_ns = 1e9 / plan.rate;
  const SteadyClock::time_point start = run->start;
  for (std::size_t i = 0; i < total && !run->stopping; ++i) {
    auto due = start + std::chrono::nanoseconds(static_cast<std::int64_t>(interval_ns * i));
    timer.expires_at(due);
    co_await timer.async_wait(asio::use_awaitable);
    asio::co_spawn(executor, SendOne(run, due, i >= warmup), asio::detached);
  }
}

// The nearest-rank percentile p (0..100) of sorted values.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// One line per counted request, before Report sorts the latencies.
void Dump(const Run& run, const std::string& path, double start_unix_us) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) {
    std::fprintf(stderr, "open_loop_client: cannot write %s\n", path.c_str());
    return;
  }
  for (std::size_t i = 0; i < run.latency_us.size(); ++i) {
    std::fprintf(out, "%.0f %.0f %d\n", start_unix_us + run.scheduled_us[i], run.latency_us[i],
                 run.status_of[i]);
  }
  std::fclose(out);
}

void Report(const Plan& plan, Run& run, double elapsed_s) {
  std::sort(run.latency_us.begin(), run.latency_us.end());
  std::sort(run.send_lag_us.begin(), run.send_lag_us.end());
  const auto& l = run.latency_us;
  const auto& s = run.send_lag_us;
  std::printf(
      "open_loop_client: %.0f requests/s for %.1f s (+%.1f s warm-up) to %s, up to %zu "
      "connections; %.2f s in all\n",
      plan.rate, plan.seconds, plan.warmup, plan.url.c_str(), plan.connections, elapsed_s);
  std::printf("counted %zu:", l.size());
  for (const auto& [status, count] : run.statuses) std::printf(" %zu x %d", count, status);
  std::printf(
      "\nlatency from scheduled send (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  "
      "max %.0f\n",
      Percentile(l, 50), Percentile(l, 90), Percentile(l, 99), Percentile(l, 99.9),
      l.empty() ? 0 : l.back());
  std::printf("generator send lag (us): p50 %.0f  p99 %.0f  max %.0f\n", Percentile(s, 50),
              Percentile(s, 99), s.empty() ? 0 : s.back());
  std::printf("result count=%zu p50=%.1f p90=%.1f p99=%.1f p999=%.1f max=%.1f lag_p99=%.1f\n",
              l.size(), Percentile(l, 50), Percentile(l, 90), Percentile(l, 99),
              Percentile(l, 99.9), l.empty() ? 0 : l.back(), Percentile(s, 99));
}

}  // namespace

int main(int argc, char** argv) {
  const Plan plan = ParsePlan(argc, argv);
  asio::io_context io(1);
  sluice::http::ClientOptions options;
  options.max_connections_per_origin = plan.connections;
  auto client = sluice::http::Client::Create(io.get_executor(), options);
  Run run;
  run.plan = &plan;
  run.client = client.get();
  run.latency_us.reserve(static_cast<std::size_t>(plan.rate * plan.seconds) + 1);
  run.send_lag_us.reserve(run.latency_us.capacity());
  run.start = SteadyClock::now();
  auto start = run.start;
  double start_unix_us =
      std::chrono::duration<double, std::micro>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&run](const boost::system::error_code& error, int) {
    if (!error) run.stopping = true;
  });
  auto schedule = [&run, &signals]() -> asio::awaitable<void> {
    co_await Schedule(&run);
    signals.cancel();  // nothing else keeps io.run() from returning once the answers are in
  };
  asio::co_spawn(io, schedule(), asio::detached);
  io.run();
  if (!plan.dump_path.empty()) Dump(run, plan.dump_path, start_unix_us);
  Report(plan, run, std::chrono::duration<double>(SteadyClock::now() - start).count());
  bool all_ok = run.statuses.size() == 1 && run.statuses.begin()->first == 200;
  return all_ok ? 0 : 1;
}
