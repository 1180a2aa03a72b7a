// Reading the YAML config file (shape in docs/ARCHITECTURE.md) into an immutable Config, with
// ${NAME} taken from an injectable environment. Every problem in a file is reported at once.
// Pure functions (LoadConfigFile also reads the file); thread-safe if the EnvLookup is.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "config/config.h"
#include "config/env_substitution.h"

namespace sluice::config {

// Parses `yaml`. `source_name` prefixes every problem's location ("sluice.yaml:7:18: ...").
// Keys that are absent take DefaultConfig()'s values; an empty document is DefaultConfig().
// Returns kInvalidArgument whose message lists every problem, one per line, each starting
// "source:line:col: ": YAML syntax errors, unknown or repeated keys, wrong types, missing
// required keys, unset environment variables, bad addresses and URLs, non-positive rpm / tpm /
// max_in_flight, unknown provider kinds, duplicate model names, and gateway keys that are empty,
// too short, repeated or badly named (gateway_keys_reader.h; messages never show a key).
Result<Config> ParseConfig(std::string_view yaml, std::string_view source_name,
                           const EnvLookup& env);

// Reads the file at `path` and parses it with `path` as the source name. kNotFound when the file
// does not exist, kFailedPrecondition when it cannot be read, otherwise as ParseConfig.
Result<Config> LoadConfigFile(const std::string& path, const EnvLookup& env);

}  // namespace sluice::config
