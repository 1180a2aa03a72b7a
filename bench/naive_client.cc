// naive_client: the baseline of bench/run_throughput.sh. Reads an OpenAI batch-input JSONL file
// and POSTs every line's body to BASE_URL + the line's url with a fixed number of concurrent
// workers on one http::Client — no limiter, no store, no retries, no output file. Prints the
// requests sent, the statuses seen and requests/s (from the first send to the last answer).
// Single-threaded: one io_context on the main thread.
// Usage: naive_client FILE BASE_URL [CONCURRENCY]   (BASE_URL e.g. http://127.0.0.1:8081)
#include <simdjson.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "http/client.h"

namespace {

namespace asio = boost::asio;

struct Line {
  std::string url;
  std::string body;
};

// The (url, body) of every non-blank line; exits on a line that is not a batch request.
std::vector<Line> ReadLines(const char* path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "naive_client: cannot read %s\n", path);
    std::exit(2);
  }
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
      std::fprintf(stderr, "naive_client: line %zu is not a batch request\n", lines.size() + 1);
      std::exit(2);
    }
    lines.push_back({std::string(url), simdjson::minify(body)});
  }
  return lines;
}

struct Run {
  const std::vector<Line>* lines = nullptr;
  std::string base_url;
  sluice::http::Client* client = nullptr;
  std::size_t next = 0;
  std::map<int, std::size_t> statuses;  // 0: no response
};

asio::awaitable<void> Worker(Run* run) {
  while (run->next < run->lines->size()) {
    const Line& line = (*run->lines)[run->next++];
    sluice::http::ClientRequest request;
    request.url = run->base_url + line.url;
    request.headers.Set("Content-Type", "application/json");
    request.headers.Set("Authorization", "Bearer sk-bench");
    request.body = line.body;
    auto answer = co_await run->client->Send(std::move(request));
    ++run->statuses[answer.ok() ? answer->status : 0];
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: naive_client FILE BASE_URL [CONCURRENCY]\n");
    return 2;
  }
  const std::vector<Line> lines = ReadLines(argv[1]);
  const int concurrency = argc > 3 ? std::atoi(argv[3]) : 256;
  if (concurrency <= 0) {
    std::fprintf(stderr, "naive_client: CONCURRENCY must be > 0\n");
    return 2;
  }
  asio::io_context io(1);
  sluice::http::ClientOptions options;
  options.max_connections_per_origin = static_cast<std::size_t>(concurrency);
  auto client = sluice::http::Client::Create(io.get_executor(), options);
  Run run{&lines, argv[2], client.get(), 0, {}};
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < concurrency; ++i) asio::co_spawn(io, Worker(&run), asio::detached);
  io.run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("naive_client: %zu requests in %.3fs", lines.size(), seconds);
  for (const auto& [status, count] : run.statuses) std::printf(", %zu x %d", count, status);
  std::printf("\nrequests/s: %.0f\n",
              seconds > 0 ? static_cast<double>(lines.size()) / seconds : 0);
  bool all_ok = run.statuses.size() == 1 && run.statuses.begin()->first == 200;
  return all_ok ? 0 : 1;
}
