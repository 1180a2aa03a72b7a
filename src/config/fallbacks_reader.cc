#include "config/fallbacks_reader.h"

#include <algorithm>
#include <set>

namespace sluice::config {
namespace {

std::string AllowedClasses() {
  std::string names;
  for (FallbackClass c : kAllFallbackClasses) {
    names += (names.empty() ? "" : ", ") + std::string(FallbackClassName(c));
  }
  return names;
}

// The classes of one entry's `on` list; empty (reported) when it is missing, empty or wrong.
std::vector<FallbackClass> ReadClasses(YamlReader& r, const YAML::Node& entry) {
  std::optional<YAML::Node> list = r.Sequence(entry, "on", Need::kRequired, "a fallback");
  if (!list) return {};
  if (list->size() == 0) {
    r.Problem(list->Mark(), "on: name at least one class (" + AllowedClasses() + ")");
    return {};
  }
  std::vector<FallbackClass> classes;
  for (const YAML::Node& item : *list) {
    if (!item.IsScalar()) {
      r.Problem(item.Mark(), "on: each class must be a name, not " +
                                 std::string(NodeKindName(item)));
      continue;
    }
    std::string name = item.Scalar();
    std::optional<FallbackClass> parsed = ParseFallbackClass(name);
    if (!parsed) {
      r.Problem(item.Mark(), "unknown fallback class '" + name + "' (allowed: " +
                                 AllowedClasses() + ")");
    } else if (std::find(classes.begin(), classes.end(), *parsed) != classes.end()) {
      r.Problem(item.Mark(), "fallback class '" + name + "' is listed twice");
    } else {
      classes.push_back(*parsed);
    }
  }
  return classes;
}

std::string CyclePath(const std::vector<std::string>& stack, const std::string& back_to) {
  std::string path;
  auto from = std::find(stack.begin(), stack.end(), back_to);
  for (auto it = from; it != stack.end(); ++it) path += *it + " -> ";
  return path + back_to;
}

// Depth-first walk of the fallback graph; a fallback to a model on the current path closes a
// cycle, reported once at that entry.
class CycleFinder {
 public:
  CycleFinder(YamlReader& r, const std::vector<ModelConfig>& models, const FallbackMarks& marks)
      : r_(r), marks_(marks) {
    for (const ModelConfig& m : models) models_.emplace(m.name, &m);
  }

  void Visit(const std::string& name) {
    if (done_.contains(name)) return;
    done_.insert(name);
    auto model = models_.find(name);
    auto marks = marks_.find(name);
    if (model == models_.end() || marks == marks_.end()) return;
    stack_.push_back(name);
    for (std::size_t i = 0; i < model->second->fallbacks.size(); ++i) {
      const std::string& next = model->second->fallbacks[i].model;
      if (std::find(stack_.begin(), stack_.end(), next) != stack_.end()) {
        r_.Problem(marks->second[i], "fallback cycle: " + CyclePath(stack_, next));
      } else {
        Visit(next);
      }
    }
    stack_.pop_back();
  }

 private:
  YamlReader& r_;
  const FallbackMarks& marks_;
  std::map<std::string, const ModelConfig*> models_;
  std::set<std::string> done_;
  std::vector<std::string> stack_;
};

}  // namespace

std::vector<FallbackConfig> ReadFallbacks(YamlReader& r, const YAML::Node& model,
                                          const std::string& name, FallbackMarks& marks) {
  std::vector<FallbackConfig> fallbacks;
  std::optional<YAML::Node> list = r.Sequence(model, "fallbacks", Need::kOptional, "model");
  if (!list) return fallbacks;
  std::map<std::string, YAML::Mark> seen;
  for (const YAML::Node& entry : *list) {
    if (!r.CheckMap(entry, "a fallback", {"model", "on"})) continue;
    std::optional<Scalar> target = r.String(entry, "model", Need::kRequired, "fallback");
    std::vector<FallbackClass> classes = ReadClasses(r, entry);
    if (!target) continue;
    if (target->text == name) {
      r.Problem(target->mark, "model '" + name + "' cannot fall back to itself");
      continue;
    }
    auto [first, inserted] = seen.emplace(target->text, target->mark);
    if (!inserted) {
      r.Problem(target->mark, "model '" + target->text + "' is already a fallback of '" + name +
                                  "' (at " + r.Location(first->second) +
                                  "); list its classes once");
      continue;
    }
    fallbacks.push_back({target->text, std::move(classes)});
    marks[name].push_back(target->mark);
  }
  return fallbacks;
}

void CheckFallbackGraph(YamlReader& r, const std::vector<ModelConfig>& models,
                        const FallbackMarks& marks) {
  std::set<std::string> names;
  for (const ModelConfig& m : models) names.insert(m.name);
  for (const ModelConfig& m : models) {
    for (std::size_t i = 0; i < m.fallbacks.size(); ++i) {
      if (names.contains(m.fallbacks[i].model)) continue;
      std::string known;
      for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
      r.Problem(marks.at(m.name)[i], "model '" + m.name + "' falls back to unknown model '" +
                                         m.fallbacks[i].model + "' (configured: " + known + ")");
    }
  }
  CycleFinder finder(r, models, marks);
  for (const ModelConfig& m : models) finder.Visit(m.name);
}

}  // namespace sluice::config
