#include "mock/content_generator.h"

#include <array>
#include <bit>
#include <cmath>
#include <cstring>

#include "mock/body_hash.h"

namespace sluice::mock {
namespace {

constexpr std::int64_t kMaxEchoWords = 32;
constexpr std::int64_t kMaxFillerWords = 24;
constexpr std::array<std::string_view, 16> kFiller = {
    "alpha", "bravo",  "charlie", "delta", "echo", "foxtrot",  "golf",  "hotel",
    "india", "juliet", "kilo",    "lima",  "mike", "november", "oscar", "papa"};

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Appends " word" while under the cap; false once the cap is reached.
bool AppendToken(GeneratedText& out, std::string_view word, std::int64_t cap) {
  if (out.tokens >= cap) {
    out.truncated = true;
    return false;
  }
  out.text += ' ';
  out.text += word;
  ++out.tokens;
  return true;
}

bool AppendEcho(GeneratedText& out, std::string_view echo, std::int64_t cap) {
  std::int64_t words = 0;
  std::size_t i = 0;
  while (i < echo.size() && words < kMaxEchoWords) {
    while (i < echo.size() && IsSpace(echo[i])) ++i;
    std::size_t start = i;
    while (i < echo.size() && !IsSpace(echo[i])) ++i;
    if (i == start) break;
    if (!AppendToken(out, echo.substr(start, i - start), cap)) return false;
    ++words;
  }
  return true;
}

}  // namespace

std::string Marker(std::uint64_t body_hash) { return "mock:" + HashHex(body_hash); }

GeneratedText GenerateText(const GenerationInput& input) {
  GeneratedText out;
  std::int64_t cap = input.max_tokens.value_or(INT64_MAX);
  out.text = Marker(input.body_hash);
  out.tokens = 1;
  if (cap < 1) cap = 1;  // the marker is always sent: a request's answer must identify it
  if (!AppendEcho(out, input.echo, cap)) return out;
  std::uint64_t h =
      MixHash(MixHash(input.seed, input.body_hash), static_cast<std::uint64_t>(input.choice));
  auto filler = static_cast<std::int64_t>(h % kMaxFillerWords);
  for (std::int64_t i = 0; i < filler; ++i) {
    h = MixHash(h, static_cast<std::uint64_t>(i));
    if (!AppendToken(out, kFiller[h % kFiller.size()], cap)) return out;
  }
  return out;
}

std::vector<float> GenerateEmbedding(std::uint64_t seed, std::uint64_t input_hash,
                                     std::int64_t dimensions) {
  std::vector<float> v(static_cast<std::size_t>(dimensions));
  std::uint64_t h = MixHash(seed, input_hash);
  double norm = 0;
  for (float& x : v) {
    h = MixHash(h, 0x5bd1e995);
    x = static_cast<float>(static_cast<double>(h >> 11) / 9007199254740992.0 * 2.0 - 1.0);
    norm += static_cast<double>(x) * x;
  }
  float scale = norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.0f;
  for (float& x : v) x *= scale;
  return v;
}

std::string EmbeddingBase64(const std::vector<float>& vector) {
  static_assert(std::endian::native == std::endian::little, "OpenAI sends little-endian floats");
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(vector.size() * sizeof(float), '\0');
  if (!vector.empty()) std::memcpy(bytes.data(), vector.data(), bytes.size());
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::vector<std::string_view> SplitTokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t next = text.find(' ', start + 1);
    if (next == std::string_view::npos) next = text.size();
    tokens.push_back(text.substr(start, next - start));
    start = next;
  }
  return tokens;
}

}  // namespace sluice::mock
