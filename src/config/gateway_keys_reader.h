// Reading the `keys:` section of the config (the gateway keys clients authenticate with) and
// checking it: names and keys present, well-formed and unique, quotas >= 0. Internal to config/;
// problems go to the YamlReader and never contain a key. Thread-compatible, like the reader.
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace sluice::config {

// The entries of `root`'s `keys` list, in file order; empty when the section is absent. Entries
// with problems are reported to `r` (and may be left out or incomplete: the parse fails anyway).
std::vector<GatewayKey> ReadGatewayKeys(YamlReader& r, const YAML::Node& root);

}  // namespace sluice::config
