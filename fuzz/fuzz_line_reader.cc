// Fuzzes the JSONL reader against a plain reference split: the same lines, numbers, lengths and
// oversized flags, whatever the line endings, the line limit, or where the reader's 1 MiB read
// chunks fall. The input is placed after a run of filler bytes so that it straddles a chunk
// boundary and lines carry over from one read to the next.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "batch/line_reader.h"

namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;  // LineReader's read size

struct ExpectedLine {
  std::string_view text;  // without "\n" and a final "\r"
  std::uint64_t length;   // with the "\r"
};

// The next line of `rest` as the reader documents it; false when nothing is left.
bool NextExpected(std::string_view& rest, ExpectedLine& line) {
  if (rest.empty()) return false;
  std::size_t end = rest.find('\n');
  std::string_view raw = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  line.length = raw.size();
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  line.text = raw;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  // Small limits make oversized lines common; a large one makes every line fit.
  std::size_t max_line_bytes = provider.ConsumeBool() ? provider.ConsumeIntegralInRange(0, 64)
                                                      : 2 * kChunkBytes;
  bool straddle = provider.ConsumeBool();
  std::size_t filler = straddle ? kChunkBytes - provider.ConsumeIntegralInRange(0, 256) : 0;
  // One long filler line, ended or joined to the first line of the input.
  std::string content(filler, 'x');
  if (filler > 0 && provider.ConsumeBool()) content.back() = '\n';
  content += provider.ConsumeRemainingBytesAsString();

  std::FILE* file = fmemopen(content.data(), content.size(), "rb");
  if (content.empty() || file == nullptr) {
    if (file != nullptr) std::fclose(file);
    return 0;
  }
  sluice::batch::LineReader reader(file, max_line_bytes);
  std::string_view rest = content;
  std::int64_t number = 0;
  while (true) {
    auto next = reader.Next();
    if (!next.ok()) std::abort();
    ExpectedLine expected;
    bool more = NextExpected(rest, expected);
    if (!next->has_value()) {
      if (more) std::abort();  // the reader stopped early
      break;
    }
    if (!more) std::abort();  // the reader made up a line
    const auto& line = **next;
    bool oversized = expected.text.size() > max_line_bytes;
    if (line.number != ++number || line.length != expected.length ||
        line.oversized != oversized || (!oversized && line.text != expected.text) ||
        (oversized && !line.text.empty())) {
      std::abort();
    }
  }
  if (reader.bytes_read() != content.size()) std::abort();
  std::fclose(file);
  return 0;
}
