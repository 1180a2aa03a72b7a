#include "mock/mock_stats.h"

#include <fmt/format.h>

#include <iterator>

namespace sluice::mock {

std::uint64_t MockStats::DistinctDuplicates() const {
  std::uint64_t n = 0;
  for (const auto& [hash, count] : bodies) n += count > 1;
  return n;
}

std::uint64_t MockStats::DuplicateRequests() const {
  std::uint64_t n = 0;
  for (const auto& [hash, count] : bodies) n += count - 1;
  return n;
}

std::string MockStats::ToJson() const {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "{{\"received\":{},\"answered\":{},\"rate_limited\":{},\"unauthorized\":{},"
                 "\"rejected\":{},\"faults\":{{\"http_500\":{},\"http_503\":{},\"reset\":{},"
                 "\"hang\":{},\"malformed\":{}}},\"batches\":{{\"created\":{},\"lines\":{}}},"
                 "\"bodies\":{{",
                 received, answered, rate_limited, unauthorized, rejected, faults.http_500,
                 faults.http_503, faults.reset, faults.hang, faults.malformed, batches_created,
                 batch_lines);
  bool first = true;
  for (const auto& [hash, count] : bodies) {
    // Keys are hex digests, so they need no JSON escaping.
    fmt::format_to(it, "{}\"{}\":{}", first ? "" : ",", hash, count);
    first = false;
  }
  fmt::format_to(it, "}},\"duplicates\":{},\"duplicate_requests\":{},\"cached_tokens\":{}}}",
                 DistinctDuplicates(), DuplicateRequests(), cached_tokens);
  return out;
}

}  // namespace sluice::mock
