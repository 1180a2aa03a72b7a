#include "mock/prefix_cache.h"

#include <string>
#include <string_view>

#include "mock/body_hash.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

constexpr std::size_t kCharsPerToken = 4;

void AppendText(const json::value& content, std::string& prompt) {
  if (content.is_string()) {
    prompt += content.as_string();
    return;
  }
  if (!content.is_array()) return;
  for (const json::value& part : content.as_array()) {
    const json::value* text = part.is_object() ? part.as_object().if_contains("text") : nullptr;
    if (text != nullptr && text->is_string()) prompt += text->as_string();
  }
}

std::string_view StringAt(const json::object& body, std::string_view key) {
  const json::value* value = body.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->as_string()) : "";
}

}  // namespace

std::vector<std::uint64_t> ChatPrefixBlocks(const json::object& body) {
  std::vector<std::uint64_t> blocks;
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return blocks;
  std::string prompt;
  for (const json::value& m : messages->as_array()) {
    if (!m.is_object()) continue;
    prompt += StringAt(m.as_object(), "role");
    prompt += '\n';
    if (const json::value* content = m.as_object().if_contains("content")) {
      AppendText(*content, prompt);
    }
    prompt += '\n';
  }
  // Requests of another model, or with another prompt_cache_key, never share an entry.
  std::uint64_t h = BodyHash(StringAt(body, "prompt_cache_key"), BodyHash(StringAt(body, "model")));
  std::size_t end = kMinCachedPrompt * kCharsPerToken;
  std::size_t hashed = 0;
  while (end <= prompt.size()) {
    h = BodyHash(std::string_view(prompt).substr(hashed, end - hashed), h);
    blocks.push_back(h);
    hashed = end;
    end += kCacheBlock * kCharsPerToken;
  }
  return blocks;
}

std::int64_t PrefixCache::Use(const std::vector<std::uint64_t>& blocks, TimePoint now) {
  std::int64_t cached = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    auto it = entries_.find(blocks[i]);
    if (it == entries_.end() || now - it->second.used >= ttl_) break;
    cached = kMinCachedPrompt + static_cast<std::int64_t>(i) * kCacheBlock;
  }
  for (std::uint64_t block : blocks) {
    auto [it, added] = entries_.try_emplace(block, Entry{now, {}});
    if (!added) recency_.erase(it->second.position);
    recency_.push_front(block);
    it->second = Entry{now, recency_.begin()};
  }
  while (capacity_ > 0 && entries_.size() > capacity_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
  return cached;
}

}  // namespace sluice::mock
