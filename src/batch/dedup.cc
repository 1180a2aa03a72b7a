#include "batch/dedup.h"

#include <simdjson.h>

#include <functional>

#include "batch/canonical_json.h"
#include "common/fnv1a.h"

namespace sluice::batch {
namespace {

// The splitmix64 finaliser: spreads FNV's weak low bits.
std::uint64_t Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool TemperatureIsZero(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return false;
  double temperature = 1;
  simdjson::dom::element field;
  if (root["temperature"].get(field) != simdjson::SUCCESS) return false;
  if (field.get_double().get(temperature) != simdjson::SUCCESS) return false;
  return temperature == 0;
}

}  // namespace

std::optional<DedupMode> ParseDedupMode(std::string_view text) {
  if (text == "off") return DedupMode::kOff;
  if (text == "auto") return DedupMode::kAuto;
  if (text == "always") return DedupMode::kAlways;
  return std::nullopt;
}

std::string_view DedupModeName(DedupMode mode) {
  switch (mode) {
    case DedupMode::kOff:
      return "off";
    case DedupMode::kAuto:
      return "auto";
    case DedupMode::kAlways:
      return "always";
  }
  return "auto";
}

bool DedupEligible(DedupMode mode, Endpoint endpoint, std::string_view body) {
  switch (mode) {
    case DedupMode::kOff:
      return false;
    case DedupMode::kAlways:
      return true;
    case DedupMode::kAuto:
      return endpoint == Endpoint::kEmbeddings || TemperatureIsZero(body);
  }
  return false;
}

std::optional<DedupKey> DedupKeyOf(Endpoint endpoint, std::string_view model,
                                   std::string_view body) {
  std::optional<std::string> canonical = CanonicalJson(body);
  if (!canonical) return std::nullopt;
  // The endpoint and the model are hashed with separators that cannot occur in them unescaped.
  std::string text = std::string(EndpointUrl(endpoint)) + '\n' + std::string(model) + '\n';
  text += *canonical;
  // Two unrelated 64-bit hashes (FNV-1a, and the library's MurmurHash): 128 bits, so that a
  // collision, which would hand one line another's answer, is out of reach.
  return DedupKey{Mix(Fnv1a(text)),
                  static_cast<std::uint64_t>(std::hash<std::string_view>()(text))};
}

std::optional<std::int64_t> DuplicateFinder::Check(std::int64_t index, Endpoint endpoint,
                                                   std::string_view model, std::string_view body) {
  if (!DedupEligible(mode_, endpoint, body)) return std::nullopt;
  std::optional<DedupKey> key = DedupKeyOf(endpoint, model, body);
  if (!key) return std::nullopt;
  auto [it, inserted] = firsts_.try_emplace(*key, First{index, 0});
  if (inserted) return std::nullopt;
  if (it->second.duplicates >= kMaxDuplicatesPerRequest) {
    it->second = First{index, 0};
    return std::nullopt;
  }
  ++it->second.duplicates;
  return it->second.index;
}

}  // namespace sluice::batch
