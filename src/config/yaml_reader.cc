#include "config/yaml_reader.h"

#include <algorithm>
#include <set>
#include <utility>

#include "common/duration.h"
#include "config/value_parsers.h"

namespace sluice::config {

std::string_view NodeKindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "empty";
    case YAML::NodeType::Undefined:
      break;
  }
  return "undefined";
}

YamlReader::YamlReader(std::string source_name, EnvLookup env)
    : source_name_(std::move(source_name)), env_(std::move(env)) {}

std::string YamlReader::Location(const YAML::Mark& mark) const {
  if (mark.is_null()) return source_name_;
  return source_name_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

void YamlReader::Problem(const YAML::Mark& mark, std::string_view message) {
  // A message may quote a value with line breaks in it; they are shown escaped so that every
  // problem stays on one line (found by fuzz/fuzz_config).
  std::string line = Location(mark) + ": ";
  for (char c : message) {
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\r') {
      line += "\\r";
    } else {
      line += c;
    }
  }
  problems_.push_back(std::move(line));
}

bool YamlReader::CheckMap(const YAML::Node& node, std::string_view what,
                          std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) {
    Problem(node.Mark(),
            std::string(what) + " must be a map, not " + std::string(NodeKindName(node)));
    return false;
  }
  bool keys_ok = true;
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Problem(key.Mark(), "keys in " + std::string(what) + " must be plain names");
      keys_ok = false;
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Problem(key.Mark(),
              "unknown key '" + name + "' in " + std::string(what) + " (allowed: " + list + ")");
    } else if (!seen.insert(name).second) {
      Problem(key.Mark(), "duplicate key '" + name + "' in " + std::string(what));
    }
  }
  return keys_ok;
}

std::optional<YAML::Node> YamlReader::Child(const YAML::Node& map, std::string_view key) const {
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  }
  return std::nullopt;
}

std::optional<YAML::Node> YamlReader::Lookup(const YAML::Node& map, std::string_view key, Need need,
                                             std::string_view what) {
  std::optional<YAML::Node> child = Child(map, key);
  if (!child && need == Need::kRequired) {
    Problem(map.Mark(), "missing required key '" + std::string(key) + "' in " + std::string(what));
  }
  return child;
}

std::optional<Scalar> YamlReader::String(const YAML::Node& map, std::string_view key, Need need,
                                         std::string_view what) {
  std::optional<YAML::Node> node = Lookup(map, key, need, what);
  if (!node) return std::nullopt;
  if (!node->IsScalar()) {
    Problem(node->Mark(),
            std::string(key) + " must be a single value, not " + std::string(NodeKindName(*node)));
    return std::nullopt;
  }
  EnvSubstitution substituted = SubstituteEnv(node->Scalar(), env_);
  for (const std::string& p : substituted.problems) Problem(node->Mark(), p);
  if (!substituted.problems.empty()) return std::nullopt;
  return Scalar{std::move(substituted.text), node->Mark()};
}

std::optional<std::int64_t> YamlReader::PositiveInt(const YAML::Node& map, std::string_view key,
                                                    Need need, std::string_view what) {
  return Integer(map, key, need, what, ParsePositiveInteger);
}

std::optional<std::int64_t> YamlReader::NonNegativeInt(const YAML::Node& map, std::string_view key,
                                                       Need need, std::string_view what) {
  return Integer(map, key, need, what, ParseNonNegativeInteger);
}

std::optional<std::int64_t> YamlReader::Integer(const YAML::Node& map, std::string_view key,
                                                Need need, std::string_view what,
                                                Result<std::int64_t> (*parse)(std::string_view)) {
  std::optional<Scalar> scalar = String(map, key, need, what);
  if (!scalar) return std::nullopt;
  Result<std::int64_t> value = parse(scalar->text);
  if (!value.ok()) {
    Problem(scalar->mark, std::string(key) + " " + value.status().message());
    return std::nullopt;
  }
  return *value;
}

std::optional<Duration> YamlReader::PositiveDuration(const YAML::Node& map, std::string_view key,
                                                     Need need, std::string_view what) {
  std::optional<Scalar> scalar = String(map, key, need, what);
  if (!scalar) return std::nullopt;
  Result<Duration> parsed = ParseDuration(scalar->text);
  if (!parsed.ok() || *parsed <= Duration::zero()) {
    Problem(scalar->mark, std::string(key) +
                              ": expected a duration above zero such as 30s or 2m, got '" +
                              scalar->text + "'");
    return std::nullopt;
  }
  return *parsed;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& map, std::string_view key, Need need,
                                     std::string_view what) {
  std::optional<Scalar> scalar = String(map, key, need, what);
  if (!scalar) return std::nullopt;
  if (scalar->text == "true") return true;
  if (scalar->text == "false") return false;
  Problem(scalar->mark, std::string(key) + " must be true or false, got '" + scalar->text + "'");
  return std::nullopt;
}

std::optional<YAML::Node> YamlReader::Sequence(const YAML::Node& map, std::string_view key,
                                               Need need, std::string_view what) {
  std::optional<YAML::Node> node = Lookup(map, key, need, what);
  if (!node) return std::nullopt;
  if (!node->IsSequence()) {
    Problem(node->Mark(),
            std::string(key) + " must be a list, not " + std::string(NodeKindName(*node)));
    return std::nullopt;
  }
  return node;
}

}  // namespace sluice::config
