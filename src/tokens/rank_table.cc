#include "tokens/rank_table.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

namespace sluice::tokens {
namespace {

// A fast hash for short byte strings (tokens are mostly 2–10 bytes): 8 bytes at a time,
// multiply-xorshift mixing.
std::uint64_t Hash(std::string_view bytes) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = bytes.size() * kMul;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    h = (h ^ chunk) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, p, n);
    h = (h ^ chunk) * kMul;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32);
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Appends the bytes `text` encodes (standard alphabet, '=' padding) to `out`.
bool DecodeBase64(std::string_view text, std::string& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::uint32_t bits = 0;
  int count = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding > 0) return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out.push_back(static_cast<char>(bits >> 16));
      out.push_back(static_cast<char>(bits >> 8));
      out.push_back(static_cast<char>(bits));
      bits = 0;
      count = 0;
    }
  }
  if (padding > 2) return false;
  if (count == 2) out.push_back(static_cast<char>(bits >> 4));
  if (count == 3) {
    out.push_back(static_cast<char>(bits >> 10));
    out.push_back(static_cast<char>(bits >> 2));
  }
  return count != 1;
}

Status LineError(std::size_t line, std::string_view what) {
  return InvalidArgumentError("vocabulary line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

Result<RankTable> RankTable::Parse(std::string_view text) {
  RankTable table;
  std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  table.slots_.resize(std::bit_ceil(lines * 5 / 2));  // load factor under 0.4
  table.mask_ = table.slots_.size() - 1;
  table.arena_.reserve(text.size() * 3 / 4);
  table.byte_ranks_.fill(kNoRank);
  table.tokens_.reserve(lines);
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return LineError(line_number, "no space");
    std::string_view rank_text = line.substr(space + 1);
    Rank rank = 0;
    auto [ptr, ec] = std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (ec != std::errc() || ptr != rank_text.data() + rank_text.size() || rank == kNoRank) {
      return LineError(line_number, "bad rank");
    }
    std::size_t offset = table.arena_.size();
    if (!DecodeBase64(line.substr(0, space), table.arena_)) {
      return LineError(line_number, "bad base64");
    }
    std::string_view bytes(table.arena_.data() + offset, table.arena_.size() - offset);
    if (rank >= table.tokens_.size()) table.tokens_.resize(rank + 1);
    if (table.tokens_[rank].length != 0) return LineError(line_number, "duplicate rank");
    table.tokens_[rank] = {static_cast<std::uint32_t>(offset),
                           static_cast<std::uint32_t>(bytes.size())};
    if (!table.Insert(bytes, rank)) return LineError(line_number, "duplicate token");
    if (bytes.size() == 1) table.byte_ranks_[static_cast<unsigned char>(bytes[0])] = rank;
  }
  for (Rank r : table.byte_ranks_) {
    if (r == kNoRank) return InvalidArgumentError("vocabulary lacks a single-byte token");
  }
  return table;
}

bool RankTable::Insert(std::string_view bytes, Rank rank) {
  std::uint64_t h = Hash(bytes);
  auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.rank == kNoRank) {
      slot = {tag, rank};
      ++size_;
      return true;
    }
    if (slot.tag == tag && BytesOf(slot.rank) == bytes) return false;
  }
}

Rank RankTable::Find(std::string_view bytes) const {
  std::uint64_t h = Hash(bytes);
  auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.rank == kNoRank) return kNoRank;
    if (slot.tag == tag && BytesOf(slot.rank) == bytes) return slot.rank;
  }
}

std::string_view RankTable::BytesOf(Rank rank) const {
  const Token& t = tokens_[rank];
  return {arena_.data() + t.offset, t.length};
}

}  // namespace sluice::tokens
