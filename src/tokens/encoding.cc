#include "tokens/encoding.h"

namespace sluice::tokens {
namespace {

// PCRE2's `\s` (with UCP) leaves out U+0085, which tiktoken's `\s` (Unicode White_Space)
// includes, so every `\s` below is this class. And tiktoken's `(?i:...)` contractions match
// ASCII letters only (its reference build splits "don'ſ" before the apostrophe), while PCRE2's
// caseless mode would fold 'ſ' to 's': they are written with explicit ASCII cases.
#define SLUICE_WS \
  R"(\t-\r\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})"
#define SLUICE_CONTRACTION R"('(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD]))"

// tiktoken:
// [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
// |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
// |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:)" SLUICE_CONTRACTION
    R"()?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:)" SLUICE_CONTRACTION
    R"()?|\p{N}{1,3}| ?[^)" SLUICE_WS R"(\p{L}\p{N}]+[\r\n/]*|[)" SLUICE_WS
    R"(]*[\r\n]+|[)" SLUICE_WS R"(]+(?![^)" SLUICE_WS R"(])|[)" SLUICE_WS R"(]+)";

// tiktoken: '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|
// ?[^\s\p{L}\p{N}]++[\r\n]*+
// |\s++$|\s*[\r\n]|\s+(?!\S)|\s   ($ is the end of the text: compile with PCRE2_DOLLAR_ENDONLY)
constexpr std::string_view kCl100kPattern =
    SLUICE_CONTRACTION R"(|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^)" SLUICE_WS
                       R"(\p{L}\p{N}]++[\r\n]*+|[)" SLUICE_WS R"(]++$|[)" SLUICE_WS
                       R"(]*[\r\n]|[)" SLUICE_WS R"(]+(?![^)" SLUICE_WS R"(])|[)" SLUICE_WS R"(])";

#undef SLUICE_CONTRACTION
#undef SLUICE_WS

constexpr EncodingSpec kO200kBase = {
    .name = "o200k_base",
    .file_name = "o200k_base.tiktoken",
    .sha256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    .pattern = kO200kPattern,
};

constexpr EncodingSpec kCl100kBase = {
    .name = "cl100k_base",
    .file_name = "cl100k_base.tiktoken",
    .sha256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    .pattern = kCl100kPattern,
};

}  // namespace

const EncodingSpec& SpecOf(Encoding encoding) {
  return encoding == Encoding::kO200kBase ? kO200kBase : kCl100kBase;
}

}  // namespace sluice::tokens
