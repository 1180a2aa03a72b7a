// ${NAME} substitution in config values from an injectable environment lookup, so tests never
// touch the process environment. Pure functions; thread-safe if the lookup is.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

// The value of environment variable `name`, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Looks names up in this process's environment (getenv).
EnvLookup ProcessEnvironment();

struct EnvSubstitution {
  std::string text;                   // the input with every resolvable ${NAME} replaced
  std::vector<std::string> problems;  // one message per unset variable or malformed reference
};

// Replaces each ${NAME} in `text` by the variable's value (NAME: [A-Za-z_][A-Za-z0-9_]*). "$${"
// stands for a literal "${"; a "$" not followed by "{" is kept as is. Problems: "environment
// variable X is not set", an unterminated "${", an invalid name. A value that is set but empty
// substitutes as empty.
EnvSubstitution SubstituteEnv(std::string_view text, const EnvLookup& env);

}  // namespace sluice::config
