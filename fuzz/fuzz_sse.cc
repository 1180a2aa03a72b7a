// Fuzzes the SSE parser: a stream fed whole and fed in pieces of fuzzer-chosen sizes gives the
// same events (chunk boundaries are up to the network), and FormatSseData's output of any payload
// parses back to that payload with its line breaks made "\n".
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "http/sse.h"

namespace {

using sluice::http::SseEvent;
using sluice::http::SseParser;

std::vector<SseEvent> FeedInPieces(std::string_view stream, const std::vector<std::size_t>& cuts) {
  SseParser parser;
  std::vector<SseEvent> events;
  std::size_t at = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    std::size_t size = i < cuts.size() ? std::min(cuts[i], stream.size() - at) : stream.size() - at;
    std::string piece(stream.substr(at, size));
    at += size;
    for (SseEvent& event : parser.Feed(piece)) events.push_back(std::move(event));
  }
  return events;
}

std::string NormalizeLineBreaks(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  std::vector<std::size_t> cuts(provider.ConsumeIntegralInRange(0, 16));
  for (std::size_t& cut : cuts) cut = provider.ConsumeIntegralInRange(0, 32);
  std::string stream = provider.ConsumeRemainingBytesAsString();

  SseParser whole;
  std::vector<SseEvent> at_once = whole.Feed(stream);
  if (FeedInPieces(stream, cuts) != at_once) std::abort();

  SseParser round_trip;
  std::vector<SseEvent> events = round_trip.Feed(sluice::http::FormatSseData(stream));
  if (events.size() != 1 || events[0].data != NormalizeLineBreaks(stream) ||
      round_trip.HasPartialEvent()) {
    std::abort();
  }
  return 0;
}
