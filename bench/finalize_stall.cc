// finalize_stall: how long other store calls wait while a big batch is finalized, against
// store::SqliteStore directly (bench/finalize_stall.sh runs it; docs/benchmarks.md, section 9).
// A batch of LINES results is stored, then three load threads call the store at a fixed rate
// each (open loop: latency from each call's scheduled time, so a stall is charged to every call
// queued behind it): AddResults of another batch (32 results), LeaseItems of a third (16 items),
// CreateFile. Phase (a): 10 s of load alone. Phase (b): the same load while a finalizer thread
// writes the big batch's output file (WriteOutputFiles, a page per ReadResults) and then drops its
// items and results (DropItems), as `sluice serve` does. Reports p50, p99 and max per call kind
// and phase, the ratios (b)/(a) and the longest stall.
// Usage: finalize_stall DIR [LINES]   (LINES default 1,000,000; DIR must exist and be empty)
// Prints a human table and "result ..." lines of key=value pairs (milliseconds) for scripts.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "batch/output_files.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using namespace std::chrono_literals;
using sluice::Status;
using SteadyClock = std::chrono::steady_clock;
namespace store = sluice::store;

constexpr auto kBaseline = 10s;
constexpr std::int64_t kFillGroup = 10000;
const sluice::WallTime kNow(std::chrono::seconds(1767225600));

[[noreturn]] void Die(const std::string& what, const Status& status) {
  std::fprintf(stderr, "finalize_stall: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::exit(2);
}

void Check(const std::string& what, const Status& status) {
  if (!status.ok()) Die(what, status);
}

// A chat request of ~200 bytes and an answer of ~700, about what the proxy benchmarks carry.
std::string RequestBody(std::int64_t i) {
  return R"({"model":"bench-model","max_tokens":16,"messages":[{"role":"user","content":"unique-)" +
         std::to_string(i) + R"( the quick brown fox jumps over the lazy dog"}]})";
}

std::string AnswerBody(std::int64_t i) {
  std::string text(420, 'x');
  return R"({"id":"chatcmpl-)" + std::to_string(i) +
         R"(","object":"chat.completion","created":1767225600,"model":"bench-model",)"
         R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
         text +
         R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":16,)"
         R"("total_tokens":28}})";
}

sluice::batch::ResultRecord Result(std::int64_t i) {
  sluice::batch::ResultRecord r;
  r.index = i;
  r.custom_id = "req-" + std::to_string(i);
  r.success = true;
  r.status_code = 200;
  r.request_id = "req_" + std::to_string(i);
  r.body = AnswerBody(i);
  r.usage = {12, 16, 28, 0, 0};
  return r;
}

std::vector<store::NewItem> Items(std::int64_t first, std::int64_t n) {
  std::vector<store::NewItem> items;
  for (std::int64_t i = first; i < first + n; ++i) {
    items.push_back(
        {i, "req-" + std::to_string(i), "bench-model", "/v1/chat/completions", RequestBody(i), 28});
  }
  return items;
}

void CreateBatch(store::Store& s, const std::string& id) {
  Check("create " + id, s.CreateBatch({id, "file:" + id, "in_progress", kNow, "{}", ""}));
}

// The big batch: every item answered, as it stands when finalize begins.
void Fill(store::Store& s, std::int64_t lines) {
  CreateBatch(s, "big");
  for (std::int64_t first = 0; first < lines; first += kFillGroup) {
    std::int64_t n = std::min(kFillGroup, lines - first);
    Check("add items", s.AddItems("big", Items(first, n)));
    std::vector<sluice::batch::ResultRecord> results;
    for (std::int64_t i = first; i < first + n; ++i) results.push_back(Result(i));
    Check("add results", s.AddResults("big", results));
  }
  CreateBatch(s, "results");
  CreateBatch(s, "lease");
  Check("add lease items", s.AddItems("lease", Items(0, 1000)));
}

enum Phase { kWarmup = 0, kAlone = 1, kFinalizing = 2, kDone = 3 };

struct Samples {
  std::vector<double> ms[3];  // by phase; kWarmup's are not reported
};

// Calls `call` every `interval` from now until phase kDone, recording each call's latency from its
// scheduled time under the phase it was scheduled in.
template <typename Call>
void Load(const std::atomic<int>& phase, std::chrono::microseconds interval, Samples& samples,
          Call call) {
  SteadyClock::time_point due = SteadyClock::now();
  for (std::int64_t n = 0;; ++n) {
    int at = phase.load();
    if (at == kDone) return;
    std::this_thread::sleep_until(due);
    call(n);
    double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - due).count();
    samples.ms[at].push_back(ms);
    due += interval;
  }
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

double Max(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

void Report(const char* name, const Samples& s) {
  const auto& a = s.ms[kAlone];
  const auto& b = s.ms[kFinalizing];
  double a99 = Percentile(a, 99), b99 = Percentile(b, 99), amax = Max(a), bmax = Max(b);
  std::printf("%-11s %6zu %7.2f %7.2f %8.2f | %6zu %7.2f %7.2f %8.2f | %6.1f %7.1f\n", name,
              a.size(), Percentile(a, 50), a99, amax, b.size(), Percentile(b, 50), b99, bmax,
              a99 > 0 ? b99 / a99 : 0, amax > 0 ? bmax / amax : 0);
  std::printf("result call=%s a_p50=%.3f a_p99=%.3f a_max=%.3f b_p50=%.3f b_p99=%.3f b_max=%.3f\n",
              name, Percentile(a, 50), a99, amax, Percentile(b, 50), b99, bmax);
}

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: finalize_stall DIR [LINES]\n");
    return 2;
  }
  std::string dir = argv[1];
  std::int64_t lines = argc > 2 ? std::atoll(argv[2]) : 1000000;
  auto opened = store::sqlite::SqliteStore::Open(dir + "/store.db");
  if (!opened.ok()) Die("open", opened.status());
  store::Store& s = **opened;

  auto start = SteadyClock::now();
  Fill(s, lines);
  std::printf("filled %lld results in %.1f s\n", static_cast<long long>(lines), Seconds(start));

  std::atomic<int> phase{kWarmup};
  Samples add_results, lease, create_file;
  std::vector<std::thread> load;
  load.emplace_back([&] {
    Load(phase, 50ms, add_results, [&](std::int64_t n) {
      std::vector<sluice::batch::ResultRecord> group;
      for (std::int64_t i = n * 32; i < (n + 1) * 32; ++i) group.push_back(Result(i));
      Check("load: add results", s.AddResults("results", group));
    });
  });
  load.emplace_back([&] {
    Load(phase, 50ms, lease, [&](std::int64_t) {
      // A lease of no length: the same first items come back every time, the index walk stays.
      auto leased = s.LeaseItems("lease", 16, kNow, 0s);
      if (!leased.ok()) Die("load: lease", leased.status());
    });
  });
  load.emplace_back([&] {
    Load(phase, 50ms, create_file, [&](std::int64_t n) {
      store::FileRecord file{.id = "file-load-" + std::to_string(n),
                             .tenant = "t",
                             .filename = "in.jsonl",
                             .purpose = "batch",
                             .bytes = 42,
                             .created_at = kNow,
                             .status = "processed"};
      Check("load: create file", s.CreateFile(file));
    });
  });
  std::this_thread::sleep_for(1s);
  phase = kAlone;
  std::this_thread::sleep_for(kBaseline);

  phase = kFinalizing;
  auto finalize = SteadyClock::now();
  sluice::batch::ResultPager pager = [&s](std::int64_t after, std::size_t limit) {
    return s.ReadResults("big", after, limit);
  };
  auto counts =
      sluice::batch::WriteOutputFiles(pager, "big", dir + "/output.jsonl", dir + "/error.jsonl");
  if (!counts.ok()) Die("write output files", counts.status());
  double write_s = Seconds(finalize);
  auto drop = SteadyClock::now();
  Check("drop items", s.DropItems("big"));
  double drop_s = Seconds(drop);
  phase = kDone;
  for (std::thread& t : load) t.join();

  std::printf("finalize of %lld lines: output files %.2f s, DropItems %.2f s\n",
              static_cast<long long>(counts->succeeded + counts->failed), write_s, drop_s);
  std::printf(
      "latency from scheduled call (ms): (a) load alone for %lld s | (b) while "
      "finalizing | ratio (b)/(a)\n",
      static_cast<long long>(kBaseline.count()));
  std::printf("%-11s %6s %7s %7s %8s | %6s %7s %7s %8s | %6s %7s\n", "call", "n", "p50", "p99",
              "max", "n", "p50", "p99", "max", "p99", "max");
  Report("AddResults", add_results);
  Report("LeaseItems", lease);
  Report("CreateFile", create_file);
  std::printf("result finalize lines=%lld write_s=%.3f drop_s=%.3f\n",
              static_cast<long long>(lines), write_s, drop_s);
  return 0;
}
