// IndentJson: JSON laid out as OpenAI's API sends it, the way JavaScript's
// JSON.stringify(value, null, 2) does: one member or element per line, two spaces per level,
// "key": value, empty objects and arrays kept as {} and []. The mock answers this way so every
// test of sluice meets multi-line bodies. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sluice::mock {

// `json` re-laid out; whitespace outside strings is replaced, strings are copied untouched.
// Text that is not JSON is laid out as far as its brackets go, never rejected (the malformed
// fault sends its body as is instead).
std::string IndentJson(std::string_view json);

}  // namespace sluice::mock
