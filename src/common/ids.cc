#include "common/ids.h"

#include <mutex>
#include <random>

namespace sluice {
namespace {

// `count` characters of `alphabet`, each drawn uniformly from one engine seeded by the system.
std::string Draw(std::string_view alphabet, std::size_t count) {
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  std::string drawn;
  std::lock_guard lock(mutex);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (std::size_t i = 0; i < count; ++i) drawn += alphabet[pick(engine)];
  return drawn;
}

}  // namespace

std::string NewId(std::string_view prefix) {
  return std::string(prefix) +
         Draw("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);
}

std::string NewHexId(std::size_t digits) {
  while (true) {
    std::string id = Draw("0123456789abcdef", digits);
    if (id.find_first_not_of('0') != std::string::npos) return id;
  }
}

}  // namespace sluice
