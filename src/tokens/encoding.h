// The BPE encodings sluice counts with (o200k_base, cl100k_base) and what defines each: its
// vocabulary file, that file's SHA-256, and its pre-tokenizer pattern. Constants; thread-safe.
#pragma once

#include <array>
#include <string_view>

namespace sluice::tokens {

enum class Encoding { kO200kBase, kCl100kBase };

inline constexpr std::array<Encoding, 2> kEncodings = {Encoding::kO200kBase, Encoding::kCl100kBase};

struct EncodingSpec {
  std::string_view name;       // "o200k_base"
  std::string_view file_name;  // "o200k_base.tiktoken"
  std::string_view sha256;     // of that file, lowercase hex
  // The pre-tokenizer regex in PCRE2 syntax (compile with UTF and UCP): tiktoken's pattern, with
  // `\s` spelled out as Unicode White_Space and the contractions' (?i:...) as ASCII-only case,
  // which is what tiktoken's Rust regex engine matches (see encoding.cc).
  std::string_view pattern;
};

const EncodingSpec& SpecOf(Encoding encoding);

}  // namespace sluice::tokens
