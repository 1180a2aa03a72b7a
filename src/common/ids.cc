#include "common/ids.h"

#include <mutex>
#include <random>

namespace sluice {

std::string NewId(std::string_view prefix) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  std::string id(prefix);
  std::lock_guard lock(mutex);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  for (int i = 0; i < 24; ++i) id += kAlphabet[pick(engine)];
  return id;
}

}  // namespace sluice
