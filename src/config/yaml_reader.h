// YamlReader: typed reads from a parsed yaml-cpp tree that collect every problem, each prefixed
// with its "source:line:col", instead of stopping at the first one. Internal to config/; it never
// throws and never modifies the tree. Thread-compatible (one reader per parse).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "config/env_substitution.h"

namespace sluice::config {

// A scalar value after ${NAME} substitution, with where it was written.
struct Scalar {
  std::string text;
  YAML::Mark mark;
};

enum class Need { kOptional, kRequired };

class YamlReader {
 public:
  YamlReader(std::string source_name, EnvLookup env);

  // "source:line:col" for a yaml-cpp mark (yaml-cpp counts from 0, people from 1).
  std::string Location(const YAML::Mark& mark) const;
  // Records "source:line:col: message".
  void Problem(const YAML::Mark& mark, std::string_view message);
  const std::vector<std::string>& problems() const { return problems_; }

  // True when `node` is a map whose keys are all scalars. Reports "<what> must be a map" when it
  // is not one, and each key that is not in `allowed` or that appears twice.
  bool CheckMap(const YAML::Node& node, std::string_view what,
                std::initializer_list<std::string_view> allowed);

  // The value of `key` in `map` (a checked map), if the key is present.
  std::optional<YAML::Node> Child(const YAML::Node& map, std::string_view key) const;

  // The scalar at `map[key]`, ${NAME}-substituted. nullopt when the key is absent (a problem if
  // kRequired: "missing required key 'key' in <what>"), null, not a scalar, or has unset
  // variables; each of those is reported.
  std::optional<Scalar> String(const YAML::Node& map, std::string_view key, Need need,
                               std::string_view what);
  // As String, then a decimal integer >= 1 ("rpm must be a positive integer, got '-5'").
  std::optional<std::int64_t> PositiveInt(const YAML::Node& map, std::string_view key, Need need,
                                          std::string_view what);
  // As String, then a decimal integer >= 0 ("rpm must be an integer >= 0, got '-5'").
  std::optional<std::int64_t> NonNegativeInt(const YAML::Node& map, std::string_view key, Need need,
                                             std::string_view what);
  // As String, then a duration above zero ("timeout: expected a duration above zero such as 30s
  // or 2m, got 'soon'").
  std::optional<Duration> PositiveDuration(const YAML::Node& map, std::string_view key, Need need,
                                           std::string_view what);
  // As String, then `true` or `false` ("admin must be true or false, got 'yes'").
  std::optional<bool> Bool(const YAML::Node& map, std::string_view key, Need need,
                           std::string_view what);
  // The sequence at `map[key]`; nullopt (reported when required or not a sequence) otherwise.
  std::optional<YAML::Node> Sequence(const YAML::Node& map, std::string_view key, Need need,
                                     std::string_view what);

 private:
  // String, then `parse`; a parse error is reported after the key's name.
  std::optional<std::int64_t> Integer(const YAML::Node& map, std::string_view key, Need need,
                                      std::string_view what,
                                      Result<std::int64_t> (*parse)(std::string_view));
  // The child, or nullopt with a problem if it is required and absent.
  std::optional<YAML::Node> Lookup(const YAML::Node& map, std::string_view key, Need need,
                                   std::string_view what);

  std::string source_name_;
  EnvLookup env_;
  std::vector<std::string> problems_;
};

// "a map", "a sequence", "a scalar", "null": for "must be X, not Y" messages.
std::string_view NodeKindName(const YAML::Node& node);

}  // namespace sluice::config
