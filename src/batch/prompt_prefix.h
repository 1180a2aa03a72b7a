// Which lines of a batch share a long prompt prefix, and a send order that puts them together,
// so that a provider's prompt cache (OpenAI: prompts of 1,024 tokens and more; Anthropic: blocks
// marked cache_control) still holds the prefix when the next line that starts with it is sent.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sluice::batch {

// The bytes of prompt text two lines must share to be grouped: about 1,024 tokens, the least
// OpenAI caches.
inline constexpr std::size_t kSharedPrefixBytes = 4096;

// A chat body's prefix key: a hash of its model, tools and the first kSharedPrefixBytes of its
// prompt (each message's role and text, in order); nullopt for a shorter prompt or a body that
// is not a chat request.
std::optional<std::uint64_t> PromptPrefixKey(std::string_view body);

// A send order for items whose keys are `keys` (in input order): the positions of `keys`,
// where each item with a key follows the earlier items with the same key, and the groups (and
// the items without a key) keep the order of their first item.
std::vector<std::size_t> GroupByPrefix(const std::vector<std::optional<std::uint64_t>>& keys);

}  // namespace sluice::batch
