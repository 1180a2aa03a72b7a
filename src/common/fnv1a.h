// Fnv1a: the 64-bit FNV-1a hash of some bytes, from a basis (the standard offset by default, or
// a previous hash to go on from). Fast and stable across runs and platforms; not for secrets.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice {

inline constexpr std::uint64_t kFnv1aBasis = 0xcbf29ce484222325ULL;

constexpr std::uint64_t Fnv1a(std::string_view bytes, std::uint64_t basis = kFnv1aBasis) {
  std::uint64_t h = basis;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace sluice
