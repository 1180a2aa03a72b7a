// The byte-pair merge of one pre-tokenized piece: starting from single bytes, repeatedly join
// the adjacent pair whose bytes have the lowest rank (the leftmost on a tie) until no joined
// pair is in the vocabulary — tiktoken's algorithm, with identical results. Short pieces use a
// flat scan, long ones a heap (O(n log n), so a megabyte without spaces stays fast).
// A BytePairMerger holds reusable scratch space: one per thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tokens/rank_table.h"

namespace sluice::tokens {

class BytePairMerger {
 public:
  // Pieces of at least this many bytes take the heap path.
  static constexpr std::size_t kHeapThreshold = 128;

  // The token boundaries of `piece` (at least 2 bytes): offsets from 0 to piece.size(), one
  // more than the number of tokens. Valid until the next call.
  std::span<const std::uint32_t> Merge(std::string_view piece, const RankTable& ranks);

  // The same through one path regardless of size (for tests that compare the two).
  std::span<const std::uint32_t> MergeByScan(std::string_view piece, const RankTable& ranks);
  std::span<const std::uint32_t> MergeByHeap(std::string_view piece, const RankTable& ranks);

  // Frees scratch space beyond what ordinary pieces need (after a huge piece).
  void Trim();

 private:
  struct Part {
    std::uint32_t start = 0;
    Rank rank = kNoRank;  // of this part joined with the next one
  };
  struct Candidate {
    Rank rank = kNoRank;
    std::uint32_t start = 0;  // of the left part
    std::uint32_t end = 0;    // of the right part
  };

  std::vector<Part> parts_;
  std::vector<Candidate> heap_;
  std::vector<std::uint32_t> next_;  // by byte offset: start of the following part
  std::vector<std::uint32_t> prev_;  // by byte offset: start of the preceding part
  std::vector<std::uint32_t> boundaries_;
};

}  // namespace sluice::tokens
