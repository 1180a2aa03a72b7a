// MockStats: what reached the mock provider, for tests that must prove what was sent upstream
// (counts by outcome, faults by kind, how often each distinct body arrived). A value type.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sluice::mock {

struct FaultCounts {
  std::uint64_t http_500 = 0;
  std::uint64_t http_503 = 0;
  std::uint64_t reset = 0;
  std::uint64_t hang = 0;
  std::uint64_t malformed = 0;
};

// What reached the provider since start (or the last reset). Only /v1/ routes are counted.
struct MockStats {
  std::uint64_t received = 0;      // requests on /v1/ routes, whatever their fate
  std::uint64_t answered = 0;      // complete 200 answers (a malformed body is a fault instead)
  std::uint64_t rate_limited = 0;  // 429s
  std::uint64_t unauthorized = 0;  // 401s
  std::uint64_t rejected = 0;      // 400, 404 and 405 answers
  std::int64_t cached_tokens = 0;  // chat prompt tokens the OpenAI prompt cache served
  FaultCounts faults;
  // The batch APIs (OpenAI's Batches and Anthropic's Message Batches): batches created, and the
  // request lines they carried (each line's body is also counted in `bodies`, so a line
  // submitted twice shows as a duplicate).
  std::uint64_t batches_created = 0;
  std::uint64_t batch_lines = 0;
  // Times each distinct request body was received, keyed by BodyHash() as 16 hex digits.
  // Bodiless requests (GET /v1/models) are not recorded here.
  std::map<std::string, std::uint64_t> bodies;

  // Number of distinct bodies received more than once.
  std::uint64_t DistinctDuplicates() const;
  // Received bodies beyond the first of each kind: sum of (count - 1).
  std::uint64_t DuplicateRequests() const;
  // {"received":..,"answered":..,"rate_limited":..,"unauthorized":..,"rejected":..,
  //  "faults":{"http_500":..,...},"batches":{"created":..,"lines":..},"bodies":{"<hash>":n},
  //  "duplicates":..,"duplicate_requests":..,"cached_tokens":..}
  std::string ToJson() const;
};

}  // namespace sluice::mock
