// Fuzzes the config loader: any bytes as a sluice.yaml, with a fixed fake environment. The parser
// must never throw or crash, and every problem it reports carries the "source:line:col: " prefix.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  sluice::config::EnvLookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY") return "sk-fuzz-0123456789";
    if (name == "EMPTY") return "";
    return std::nullopt;
  };
  auto config = sluice::config::ParseConfig(yaml, "fuzz.yaml", env);
  if (!config.ok()) {
    const std::string message = config.status().message();
    if (message.empty()) std::abort();
    std::size_t start = 0;
    while (start < message.size()) {
      std::size_t end = message.find('\n', start);
      if (message.compare(start, 10, "fuzz.yaml:") != 0) {
        std::fprintf(stderr, "a problem without its location:\n%s\n", message.c_str());
        std::abort();
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return 0;
}
