#include "config/env_substitution.h"

#include <cstdlib>

namespace sluice::config {
namespace {

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  auto is_alpha = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  if (!is_alpha(name[0])) return false;
  for (char c : name) {
    if (!is_alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvSubstitution SubstituteEnv(std::string_view text, const EnvLookup& env) {
  EnvSubstitution result;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      result.text += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      result.text += text[i++];
      continue;
    }
    auto close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      result.problems.push_back("unterminated ${ (write $${ for a literal ${)");
      result.text += text.substr(i);
      break;
    }
    std::string_view name = text.substr(i + 2, close - i - 2);
    if (!IsValidName(name)) {
      result.problems.push_back("invalid environment variable name '" + std::string(name) + "'");
    } else if (std::optional<std::string> value = env(name); !value) {
      result.problems.push_back("environment variable " + std::string(name) + " is not set");
    } else {
      result.text += *value;
    }
    i = close + 1;
  }
  return result;
}

}  // namespace sluice::config
