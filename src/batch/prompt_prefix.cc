#include "batch/prompt_prefix.h"

#include <simdjson.h>

#include <string>
#include <unordered_map>

#include "common/fnv1a.h"

namespace sluice::batch {
namespace {

// Appends a message content's text (a string, or the text of an array's parts).
void AppendText(simdjson::dom::element content, std::string& prompt) {
  std::string_view text;
  if (content.get_string().get(text) == simdjson::SUCCESS) {
    prompt += text;
    return;
  }
  simdjson::dom::array parts;
  if (content.get_array().get(parts) != simdjson::SUCCESS) return;
  for (simdjson::dom::element part : parts) {
    if (part["text"].get_string().get(text) == simdjson::SUCCESS) prompt += text;
  }
}

}  // namespace

std::optional<std::uint64_t> PromptPrefixKey(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::array messages;
  if (root["messages"].get_array().get(messages) != simdjson::SUCCESS) return std::nullopt;
  std::string prompt;
  for (simdjson::dom::element message : messages) {
    if (prompt.size() >= kSharedPrefixBytes) break;
    std::string_view role;
    if (message["role"].get_string().get(role) == simdjson::SUCCESS) prompt += role;
    prompt += '\n';
    simdjson::dom::element content;
    if (message["content"].get(content) == simdjson::SUCCESS) AppendText(content, prompt);
    prompt += '\n';
  }
  if (prompt.size() < kSharedPrefixBytes) return std::nullopt;
  std::string_view model;
  if (root["model"].get_string().get(model) != simdjson::SUCCESS) model = "";
  std::uint64_t h = Fnv1a(model);
  simdjson::dom::element tools;
  if (root["tools"].get(tools) == simdjson::SUCCESS) h = Fnv1a(simdjson::minify(tools), h);
  return Fnv1a(std::string_view(prompt).substr(0, kSharedPrefixBytes), h);
}

std::vector<std::size_t> GroupByPrefix(const std::vector<std::optional<std::uint64_t>>& keys) {
  // Each group's members in input order, the groups in the order of their first member.
  std::vector<std::vector<std::size_t>> groups;
  std::unordered_map<std::uint64_t, std::size_t> group_of;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i]) {
      groups.push_back({i});
      continue;
    }
    auto [it, added] = group_of.try_emplace(*keys[i], groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  std::vector<std::size_t> order;
  order.reserve(keys.size());
  for (const auto& group : groups) order.insert(order.end(), group.begin(), group.end());
  return order;
}

}  // namespace sluice::batch
