#include "tokens/byte_pair_merge.h"

#include <algorithm>

namespace sluice::tokens {
namespace {

constexpr std::uint32_t kDead = 0xFFFFFFFF;

}  // namespace

std::span<const std::uint32_t> BytePairMerger::Merge(std::string_view piece,
                                                     const RankTable& ranks) {
  return piece.size() < kHeapThreshold ? MergeByScan(piece, ranks) : MergeByHeap(piece, ranks);
}

std::span<const std::uint32_t> BytePairMerger::MergeByScan(std::string_view piece,
                                                           const RankTable& ranks) {
  const auto n = static_cast<std::uint32_t>(piece.size());
  parts_.clear();
  for (std::uint32_t i = 0; i + 1 < n; ++i) parts_.push_back({i, ranks.Find(piece.substr(i, 2))});
  parts_.push_back({n - 1, kNoRank});
  parts_.push_back({n, kNoRank});
  // The rank of parts i and i+1 joined with i+2 gone, given that part i+1 absorbs i+2.
  auto joined_rank = [&](std::size_t i) {
    if (i + 3 >= parts_.size()) return kNoRank;
    return ranks.Find(piece.substr(parts_[i].start, parts_[i + 3].start - parts_[i].start));
  };
  while (true) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < parts_.size(); ++i) {
      if (parts_[i].rank < parts_[best].rank) best = i;
    }
    if (parts_[best].rank == kNoRank) break;
    if (best > 0) parts_[best - 1].rank = joined_rank(best - 1);
    parts_[best].rank = joined_rank(best);
    parts_.erase(parts_.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  boundaries_.clear();
  for (const Part& p : parts_) boundaries_.push_back(p.start);
  return boundaries_;
}

std::span<const std::uint32_t> BytePairMerger::MergeByHeap(std::string_view piece,
                                                           const RankTable& ranks) {
  const auto n = static_cast<std::uint32_t>(piece.size());
  next_.resize(n + 1);
  prev_.resize(n + 1);
  heap_.clear();
  for (std::uint32_t i = 0; i < n; ++i) {
    next_[i] = i + 1;
    prev_[i] = i == 0 ? kDead : i - 1;
  }
  next_[n] = n;
  // Heap order: lowest rank first, then leftmost.
  auto after = [](const Candidate& a, const Candidate& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.start > b.start;
  };
  auto push = [&](std::uint32_t start) {
    std::uint32_t end = next_[next_[start]];
    Rank rank = ranks.Find(piece.substr(start, end - start));
    if (rank == kNoRank) return;
    heap_.push_back({rank, start, end});
    std::push_heap(heap_.begin(), heap_.end(), after);
  };
  for (std::uint32_t i = 0; i + 1 < n; ++i) push(i);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), after);
    Candidate c = heap_.back();
    heap_.pop_back();
    // Stale when the left part was absorbed or either part has grown since it was pushed.
    if (next_[c.start] == kDead || next_[c.start] >= n || next_[next_[c.start]] != c.end) continue;
    std::uint32_t right = next_[c.start];
    next_[c.start] = c.end;
    if (c.end < n) prev_[c.end] = c.start;
    next_[right] = kDead;
    if (c.end < n) push(c.start);
    if (prev_[c.start] != kDead) push(prev_[c.start]);
  }
  boundaries_.clear();
  for (std::uint32_t i = 0; i < n; i = next_[i]) boundaries_.push_back(i);
  boundaries_.push_back(n);
  return boundaries_;
}

void BytePairMerger::Trim() {
  constexpr std::size_t kKeep = 4096;
  if (next_.capacity() > kKeep) {
    next_ = {};
    prev_ = {};
  }
  if (heap_.capacity() > kKeep) heap_ = {};
  if (boundaries_.capacity() > kKeep) boundaries_ = {};
}

}  // namespace sluice::tokens
