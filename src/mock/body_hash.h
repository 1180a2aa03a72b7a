// BodyHash: the 64-bit FNV-1a hash that names a request body in the mock's stats and in the
// "mock:<hex>" marker of generated answers (easy to recompute in any language). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::mock {

constexpr std::uint64_t BodyHash(std::string_view bytes, std::uint64_t basis = 0xcbf29ce484222325) {
  std::uint64_t h = basis;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3;
  }
  return h;
}

// 16 lowercase hex digits.
inline std::string HashHex(std::uint64_t hash) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 16; i-- > 0; hash >>= 4) out[i] = kDigits[hash & 15];
  return out;
}

// Mixes two 64-bit values (splitmix64 finaliser); used to derive per-seed, per-choice streams.
constexpr std::uint64_t MixHash(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15 + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

}  // namespace sluice::mock
