// Which encoding a model name uses: the OpenAI families sluice counts exactly. Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "tokens/encoding.h"

namespace sluice::tokens {

// gpt-4o*, chatgpt-4o*, gpt-4.1*, gpt-4.5*, o1*, o3*, o4*, gpt-5* → o200k_base; gpt-4*, gpt-3.5*
// (and Azure's gpt-35*), text-embedding-3*, text-embedding-ada-002 → cl100k_base; anything else →
// nullopt. A family matches at the start of the name followed by its end, '-', '.' or ':' (date
// and size suffixes: "gpt-4o-mini-2024-07-18"). A "provider/" prefix (up to the last '/') and
// a fine-tune's "ft:" are ignored; case is not significant.
std::optional<Encoding> EncodingForModel(std::string_view model);

}  // namespace sluice::tokens
