// Reading a model's `fallbacks:` list (the models to try when its answer ends in a given class
// of failure) and checking the fallbacks of every model together: each names a configured model
// other than its own, once, with known classes, and no chain of fallbacks leads back to where it
// started. Internal to config/; problems go to the YamlReader. Thread-compatible, like the reader.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace sluice::config {

// Where each model's fallbacks were written: by model name, the marks of its entries' `model`
// values in list order (parallel to ModelConfig::fallbacks).
using FallbackMarks = std::map<std::string, std::vector<YAML::Mark>>;

// The entries of `model`'s `fallbacks` list (a model's map, named `name`), in file order; empty
// when the key is absent. Problems within one model's list (a missing or repeated model, a
// missing, empty, unknown or repeated class, falling back to itself) are reported to `r`. The
// mark of every entry kept is appended to `marks[name]`.
std::vector<FallbackConfig> ReadFallbacks(YamlReader& r, const YAML::Node& model,
                                          const std::string& name, FallbackMarks& marks);

// Reports fallbacks to models that are not configured, and every cycle of fallbacks
// ("fallback cycle: a -> b -> a"), at the entry that closes it.
void CheckFallbackGraph(YamlReader& r, const std::vector<ModelConfig>& models,
                        const FallbackMarks& marks);

}  // namespace sluice::config
