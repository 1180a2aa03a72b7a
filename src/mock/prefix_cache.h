// PrefixCache: the mock's model of OpenAI's automatic prompt caching. A chat prompt of 1,024
// tokens or more is cached in 128-token blocks: the cache keeps the hash of each block-aligned
// prefix (seeded with the model and the request's prompt_cache_key), and a request's
// cached_tokens is its longest prefix found still fresh. An entry lives `ttl` past its last use,
// and at most `capacity` are kept, the least recently used evicted first (a provider's cache
// machines hold only so much), so what is sent between two requests of one prefix decides whether
// the second hits. Tokens are counted as the mock counts them: about 4 characters each.
// Pure; thread-compatible.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace sluice::mock {

inline constexpr std::int64_t kMinCachedPrompt = 1024;  // tokens
inline constexpr std::int64_t kCacheBlock = 128;        // tokens

// The hashes of the block-aligned prefixes of a chat body's prompt (its messages' roles and
// text, in order): element i ends at kMinCachedPrompt + i * kCacheBlock tokens. Empty for a
// prompt shorter than kMinCachedPrompt.
std::vector<std::uint64_t> ChatPrefixBlocks(const boost::json::object& body);

class PrefixCache {
 public:
  // capacity 0: unbounded.
  PrefixCache(Duration ttl, std::size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  // The cached tokens of a prompt whose prefixes hash to `blocks` (ChatPrefixBlocks), at `now`;
  // then each of its blocks is kept as used at `now`.
  std::int64_t Use(const std::vector<std::uint64_t>& blocks, TimePoint now);

 private:
  struct Entry {
    TimePoint used;
    std::list<std::uint64_t>::iterator position;  // in recency_
  };
  Duration ttl_;
  std::size_t capacity_;
  std::list<std::uint64_t> recency_;  // most recently used first
  std::unordered_map<std::uint64_t, Entry> entries_;
};

}  // namespace sluice::mock
