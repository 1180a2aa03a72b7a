// Speed of exact token counting (src/tokens): bytes of text per second for Count and Encode on
// the repository's own documentation and sources (English prose and C++), and on the
// multilingual corpus fixture; and the time to load a vocabulary. Run the release build:
//   build/release/bench/tokens_bench
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tokens/bpe_encoding.h"
#include "tokens/tokenizers.h"

namespace sluice::tokens {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// README, docs and every source file of the repository, concatenated.
const std::string& ProseAndCode() {
  static const std::string text = [] {
    std::string all = ReadFile(fs::path(SLUICE_SOURCE_DIR) / "README.md");
    for (const char* dir : {"docs", "src"}) {
      for (const auto& entry : fs::recursive_directory_iterator(fs::path(SLUICE_SOURCE_DIR) / dir)) {
        std::string ext = entry.path().extension().string();
        if (ext == ".md" || ext == ".cc" || ext == ".h") all += ReadFile(entry.path());
      }
    }
    return all;
  }();
  return text;
}

// The corpus fixture (CJK, emoji, many scripts, whitespace runs) as raw JSON text.
const std::string& Multilingual() {
  static const std::string text =
      ReadFile(fs::path(SLUICE_SOURCE_DIR) / "tests/fixtures/tokens/corpus.json");
  return text;
}

const BpeEncoding& Load(Encoding encoding) {
  static const auto tokenizers =
      Tokenizers::Open({fs::path(SLUICE_SOURCE_DIR) / "data/tokenizers"});
  const BpeEncoding* loaded = tokenizers->Find(encoding);
  if (loaded == nullptr) {
    std::fprintf(stderr, "vocabularies missing: run scripts/fetch_vocabularies.sh\n");
    std::exit(1);
  }
  return *loaded;
}

void Count(benchmark::State& state, Encoding encoding, const std::string& (*text)()) {
  const BpeEncoding& bpe = Load(encoding);
  const std::string& input = text();
  std::int64_t tokens = 0;
  for (auto _ : state) benchmark::DoNotOptimize(tokens = bpe.Count(input));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
  state.counters["tokens"] = static_cast<double>(tokens);
}

void Encode(benchmark::State& state, Encoding encoding, const std::string& (*text)()) {
  const BpeEncoding& bpe = Load(encoding);
  const std::string& input = text();
  for (auto _ : state) benchmark::DoNotOptimize(bpe.Encode(input));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
}

void LoadVocabulary(benchmark::State& state, Encoding encoding) {
  fs::path dir = fs::path(SLUICE_SOURCE_DIR) / "data/tokenizers";
  for (auto _ : state) benchmark::DoNotOptimize(Tokenizers::LoadEncoding(encoding, dir).ok());
}

BENCHMARK_CAPTURE(Count, o200k_prose_and_code, Encoding::kO200kBase, ProseAndCode)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Count, cl100k_prose_and_code, Encoding::kCl100kBase, ProseAndCode)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Count, o200k_multilingual, Encoding::kO200kBase, Multilingual)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Encode, o200k_prose_and_code, Encoding::kO200kBase, ProseAndCode)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(LoadVocabulary, o200k, Encoding::kO200kBase)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(LoadVocabulary, cl100k, Encoding::kCl100kBase)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::tokens

BENCHMARK_MAIN();
