#include "config/gateway_keys_reader.h"

#include <map>
#include <string>

namespace sluice::config {
namespace {

constexpr std::size_t kMaxNameLength = 64;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Tenant names go into logs and metric labels, so they are short plain words.
void CheckName(YamlReader& r, const Scalar& name) {
  if (name.text.empty()) {
    r.Problem(name.mark, "key name is empty");
    return;
  }
  bool plain = name.text.size() <= kMaxNameLength;
  for (char c : name.text) plain = plain && IsNameChar(c);
  if (!plain) {
    r.Problem(name.mark,
              "key name '" + name.text + "' must be 1 to 64 letters, digits, '.', '_' " + "or '-'");
  }
}

// The messages name the tenant, never the key itself.
void CheckSecret(YamlReader& r, const Scalar& key, const std::string& name) {
  std::string what = "key of '" + name + "'";
  if (key.text.empty()) {
    r.Problem(key.mark, what + " is empty");
    return;
  }
  for (char c : key.text) {
    if (c <= ' ' || c > '~') {
      r.Problem(key.mark,
                what + " must be printable ASCII without spaces (it is sent in a header)");
      return;
    }
  }
  if (key.text.size() < kMinGatewayKeyLength) {
    r.Problem(key.mark, what + " is shorter than " + std::to_string(kMinGatewayKeyLength) +
                            " characters (make one with: openssl rand -hex 24)");
  }
}

// A cap in dollars (`key` of the entry), in nanodollars; nullopt when absent or reported bad.
std::optional<std::int64_t> ReadCap(YamlReader& r, const YAML::Node& node, std::string_view key) {
  std::optional<Scalar> text = r.String(node, key, Need::kOptional, "key");
  if (!text) return std::nullopt;
  Result<std::int64_t> cap = cost::ParseUsd(text->text);
  if (!cap.ok()) {
    r.Problem(text->mark, std::string(key) + ": " + cap.status().message());
    return std::nullopt;
  }
  return *cap;
}

// One entry; nullopt when it is not a map or has no usable name and key.
std::optional<GatewayKey> ReadKey(YamlReader& r, const YAML::Node& node) {
  if (!r.CheckMap(node, "a key",
                  {"name", "key", "rpm", "tpm", "webhook_url", "admin", "max_cost_usd_per_day",
                   "max_cost_usd_per_month"})) {
    return std::nullopt;
  }
  GatewayKey key;
  std::optional<Scalar> name = r.String(node, "name", Need::kRequired, "key");
  if (name) {
    CheckName(r, *name);
    key.name = name->text;
  }
  std::optional<Scalar> secret = r.String(node, "key", Need::kRequired, "key");
  if (secret) {
    CheckSecret(r, *secret, key.name);
    key.key = std::move(secret->text);
  }
  if (auto rpm = r.NonNegativeInt(node, "rpm", Need::kOptional, "key")) key.rpm = *rpm;
  if (auto tpm = r.NonNegativeInt(node, "tpm", Need::kOptional, "key")) key.tpm = *tpm;
  if (auto url = r.String(node, "webhook_url", Need::kOptional, "key")) key.webhook_url = url->text;
  if (auto admin = r.Bool(node, "admin", Need::kOptional, "key")) key.admin = *admin;
  key.budget.per_day = ReadCap(r, node, "max_cost_usd_per_day");
  key.budget.per_month = ReadCap(r, node, "max_cost_usd_per_month");
  if (key.name.empty() || key.key.empty()) return std::nullopt;
  return key;
}

}  // namespace

std::vector<GatewayKey> ReadGatewayKeys(YamlReader& r, const YAML::Node& root) {
  std::vector<GatewayKey> keys;
  std::optional<YAML::Node> list = r.Sequence(root, "keys", Need::kOptional, "the config");
  if (!list) return keys;
  std::map<std::string, YAML::Mark> names;
  std::map<std::string, std::pair<std::string, YAML::Mark>> secrets;  // key -> its first tenant
  for (const auto& entry : *list) {
    std::optional<GatewayKey> key = ReadKey(r, entry);
    if (!key) continue;
    YAML::Mark name_mark = r.Child(entry, "name")->Mark();
    YAML::Mark key_mark = r.Child(entry, "key")->Mark();
    if (auto [it, fresh] = names.emplace(key->name, name_mark); !fresh) {
      r.Problem(name_mark, "duplicate key name '" + key->name + "' (first defined at " +
                               r.Location(it->second) + ")");
      continue;
    }
    if (auto [it, fresh] = secrets.try_emplace(key->key, key->name, key_mark); !fresh) {
      r.Problem(key_mark, "key of '" + key->name + "' is the same as the key of '" +
                              it->second.first + "' (" + r.Location(it->second.second) + ")");
      continue;
    }
    keys.push_back(std::move(*key));
  }
  return keys;
}

}  // namespace sluice::config
