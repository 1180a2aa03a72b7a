// Fuzzes the multipart/form-data parser: the same body fed whole and fed in pieces of
// fuzzer-chosen sizes must give the same parts, the same data and the same verdict, since how a
// body is split into reads is up to the network. Small limits make the limit paths reachable.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "http/multipart.h"

namespace {

using sluice::http::MultipartEvent;
using sluice::http::MultipartLimits;
using sluice::http::MultipartParser;

// What a whole parse produced, in a form two parses can be compared by.
struct Parsed {
  std::vector<std::string> trace;  // "begin name|filename|type", "data ...", "end"
  bool ok = true;
  bool done = false;
  std::string error;  // shown on a mismatch, not compared

  // A failed Feed returns no events, so the parts seen before an error depend on the pieces:
  // two failed parses are alike.
  bool operator==(const Parsed& other) const {
    return ok == other.ok && (!ok || (trace == other.trace && done == other.done));
  }
};

void Record(const std::vector<MultipartEvent>& events, Parsed& parsed) {
  for (const MultipartEvent& event : events) {
    switch (event.kind) {
      case MultipartEvent::Kind::kPartBegin:
        parsed.trace.push_back("begin " + event.part.name + "|" +
                               event.part.filename.value_or("-") + "|" + event.part.content_type);
        break;
      case MultipartEvent::Kind::kPartData:
        if (event.data.empty()) std::abort();  // documented: never empty
        // Data pieces are merged: where a part's data is split is not part of the contract.
        if (parsed.trace.empty() || !parsed.trace.back().starts_with("data ")) {
          parsed.trace.push_back("data ");
        }
        parsed.trace.back().append(event.data);
        break;
      case MultipartEvent::Kind::kPartEnd:
        parsed.trace.push_back("end");
        break;
    }
  }
}

Parsed Parse(MultipartParser parser, std::string_view body, const std::vector<std::size_t>& cuts) {
  Parsed parsed;
  std::size_t at = 0;
  for (std::size_t i = 0; i <= cuts.size() && parsed.ok; ++i) {
    std::size_t size = i < cuts.size() ? std::min(cuts[i], body.size() - at) : body.size() - at;
    // A piece is copied so that a view kept past its Feed call would be caught by ASan.
    std::string piece(body.substr(at, size));
    at += size;
    auto events = parser.Feed(piece);
    if (!events.ok()) {
      parsed.ok = false;
      parsed.error = events.status().message() + " (in the piece ending at byte " +
                     std::to_string(at) + ")";
      break;
    }
    Record(*events, parsed);
  }
  if (parsed.ok) parsed.ok = parser.Finish().ok();
  parsed.done = parser.done();
  return parsed;
}

void Print(const char* how, const Parsed& parsed) {
  std::fprintf(stderr, "%s: ok=%d done=%d %s\n", how, parsed.ok, parsed.done,
               parsed.error.c_str());
  for (const std::string& line : parsed.trace) std::fprintf(stderr, "  [%s]\n", line.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  MultipartLimits limits;
  if (provider.ConsumeBool()) {
    limits.max_part_header_bytes = provider.ConsumeIntegralInRange<std::size_t>(0, 128);
    limits.max_preamble_bytes = provider.ConsumeIntegralInRange<std::size_t>(0, 128);
  }
  std::string content_type = provider.ConsumeRandomLengthString(100);
  std::vector<std::size_t> cuts(provider.ConsumeIntegralInRange(0, 16));
  for (std::size_t& cut : cuts) cut = provider.ConsumeIntegralInRange(0, 64);
  std::string body = provider.ConsumeRemainingBytesAsString();

  auto whole = MultipartParser::ForContentType(content_type, limits);
  if (!whole.ok()) return 0;
  auto pieces = MultipartParser::ForContentType(content_type, limits);
  if (!pieces.ok()) std::abort();
  Parsed at_once = Parse(*std::move(whole), body, {});
  Parsed in_pieces = Parse(*std::move(pieces), body, cuts);
  if (!(at_once == in_pieces)) {
    Print("fed whole", at_once);
    Print("fed in pieces", in_pieces);
    std::abort();
  }
  return 0;
}
