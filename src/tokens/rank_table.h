// RankTable: a BPE vocabulary, byte strings to ranks (token ids), parsed from tiktoken's text
// format ("<base64 bytes> <rank>" per line). A flat open-addressing table over one byte arena:
// no allocation per entry, one cache line per probe. Immutable after Parse; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::tokens {

using Rank = std::uint32_t;
inline constexpr Rank kNoRank = 0xFFFFFFFF;

class RankTable {
 public:
  // kInvalidArgument (with the line number) for a malformed line, a duplicate token or rank, or
  // a vocabulary that lacks one of the 256 single bytes (every text must be encodable).
  static Result<RankTable> Parse(std::string_view tiktoken_text);

  // The rank of exactly these bytes, or kNoRank.
  Rank Find(std::string_view bytes) const;
  Rank ByteRank(unsigned char byte) const { return byte_ranks_[byte]; }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // high half of the hash
    Rank rank = kNoRank;    // kNoRank: empty
  };
  struct Token {
    std::uint32_t offset = 0;  // into arena_
    std::uint32_t length = 0;
  };

  RankTable() = default;
  bool Insert(std::string_view bytes, Rank rank);  // false on a duplicate token
  std::string_view BytesOf(Rank rank) const;

  std::string arena_;
  std::vector<Token> tokens_;  // indexed by rank; length 0: no such rank
  std::vector<Slot> slots_;    // power-of-two size
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::array<Rank, 256> byte_ranks_{};
};

}  // namespace sluice::tokens
