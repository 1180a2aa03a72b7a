#include "cost/price_table.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

#include "cost/shipped_prices.h"

namespace sluice::cost {
namespace json = boost::json;

struct PriceTable::Rule {
  enum class Kind { kEquals, kStartsWith, kEndsWith, kContains, kRegex };
  Kind kind = Kind::kEquals;
  std::string text;  // lower case, except for a regex
  std::regex regex;
};

struct PriceTable::Entry {
  ModelPrices prices;
  std::vector<Rule> rules;
};

struct PriceTable::Provider {
  std::string id;
  std::optional<double> batch_discount;
  std::vector<Entry> entries;
};

PriceTable::PriceTable() = default;
PriceTable::~PriceTable() = default;
PriceTable::PriceTable(PriceTable&&) noexcept = default;
PriceTable& PriceTable::operator=(PriceTable&&) noexcept = default;

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Status Invalid(const std::string& where, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, "price table: " + where + ": " + what);
}

// A price in dollars per million tokens: a number >= 0.
Result<std::optional<double>> ReadPrice(const json::object& row, std::string_view key,
                                        const std::string& where) {
  const json::value* value = row.if_contains(key);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) return Invalid(where, std::string(key) + " is not a number");
  double price = value->to_number<double>();
  if (!(price >= 0)) return Invalid(where, std::string(key) + " is negative");
  return std::optional<double>(price);
}

Result<Prices> ReadPrices(const json::object& row, const std::string& where) {
  Prices prices;
  auto input = ReadPrice(row, "input", where);
  if (!input.ok()) return input.status();
  if (!*input) return Invalid(where, "no input price");
  prices.input = **input;
  auto cached = ReadPrice(row, "cached_input", where);
  auto output = ReadPrice(row, "output", where);
  if (!cached.ok()) return cached.status();
  if (!output.ok()) return output.status();
  prices.cached_input = cached->value_or(prices.input);  // no cache discount known
  prices.output = output->value_or(0);                    // embeddings produce no output
  return prices;
}

Result<PriceTable::Rule> ReadRule(const json::value& value, const std::string& where) {
  using Kind = PriceTable::Rule::Kind;
  static constexpr std::pair<std::string_view, Kind> kKinds[] = {
      {"equals", Kind::kEquals},     {"starts_with", Kind::kStartsWith},
      {"ends_with", Kind::kEndsWith}, {"contains", Kind::kContains},
      {"regex", Kind::kRegex}};
  if (!value.is_object() || value.get_object().size() != 1) {
    return Invalid(where, "a match rule is not an object with one key");
  }
  const auto& [key, text] = *value.get_object().begin();
  for (const auto& [name, kind] : kKinds) {
    if (key != name) continue;
    if (!text.is_string()) return Invalid(where, "match rule " + std::string(name) + " is not text");
    PriceTable::Rule rule;
    rule.kind = kind;
    if (kind == Kind::kRegex) {
      rule.text = text.get_string();
      try {
        rule.regex = std::regex(rule.text, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error&) {
        return Invalid(where, "regex '" + rule.text + "' does not compile");
      }
    } else {
      rule.text = Lower(text.get_string());
    }
    return rule;
  }
  return Invalid(where, "unknown match rule '" + std::string(key) + "'");
}

bool Matches(const PriceTable::Rule& rule, std::string_view model, std::string_view lower) {
  using Kind = PriceTable::Rule::Kind;
  switch (rule.kind) {
    case Kind::kEquals:
      return lower == rule.text;
    case Kind::kStartsWith:
      return lower.starts_with(rule.text);
    case Kind::kEndsWith:
      return lower.ends_with(rule.text);
    case Kind::kContains:
      return lower.find(rule.text) != std::string_view::npos;
    case Kind::kRegex:
      return std::regex_search(model.begin(), model.end(), rule.regex);
  }
  return false;
}

Result<PriceTable::Entry> ReadEntry(const json::value& value, const std::string& provider) {
  if (!value.is_object()) return Invalid(provider, "a model is not an object");
  const json::object& row = value.get_object();
  PriceTable::Entry entry;
  const json::value* id = row.if_contains("id");
  if (id == nullptr || !id->is_string()) return Invalid(provider, "a model has no id");
  entry.prices.id = id->get_string();
  std::string where = provider + " " + entry.prices.id;
  auto prices = ReadPrices(row, where);
  if (!prices.ok()) return prices.status();
  entry.prices.prices = *prices;
  const json::value* match = row.if_contains("match");
  if (match == nullptr || !match->is_array() || match->get_array().empty()) {
    return Invalid(where, "no match rules");
  }
  for (const json::value& rule : match->get_array()) {
    auto read = ReadRule(rule, where);
    if (!read.ok()) return read.status();
    entry.rules.push_back(std::move(*read));
  }
  if (const json::value* tiers = row.if_contains("tiers")) {
    if (!tiers->is_array()) return Invalid(where, "tiers is not a list");
    for (const json::value& tier : tiers->get_array()) {
      const json::value* above = tier.is_object() ? tier.get_object().if_contains("above") : nullptr;
      if (above == nullptr || !above->is_int64() || above->get_int64() < 0) {
        return Invalid(where, "a tier has no 'above' token count");
      }
      auto tier_prices = ReadPrices(tier.get_object(), where);
      if (!tier_prices.ok()) return tier_prices.status();
      entry.prices.tiers.push_back({above->get_int64(), *tier_prices});
    }
    std::sort(entry.prices.tiers.begin(), entry.prices.tiers.end(),
              [](const PriceTier& a, const PriceTier& b) { return a.above < b.above; });
  }
  return entry;
}

}  // namespace

const Prices& ModelPrices::For(std::int64_t prompt_tokens) const {
  const Prices* chosen = &prices;
  for (const PriceTier& tier : tiers) {
    if (prompt_tokens > tier.above) chosen = &tier.prices;
  }
  return *chosen;
}

Result<PriceTable> PriceTable::Parse(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return Invalid("top level", "not a JSON object");
  const json::object& top = parsed.get_object();
  PriceTable table;
  const json::value* source = top.if_contains("source");
  const json::value* licence = top.if_contains("licence");
  const json::value* day = top.if_contains("prices_on");
  if (source != nullptr && source->is_string()) table.source_ = source->get_string();
  if (licence != nullptr && licence->is_string()) {
    table.source_ += " (" + std::string(licence->get_string()) + ")";
  }
  if (day != nullptr && day->is_string()) {
    table.source_ += ", prices on " + std::string(day->get_string());
  }
  const json::value* providers = top.if_contains("providers");
  if (providers == nullptr || !providers->is_array()) return Invalid("top level", "no providers");
  for (const json::value& value : providers->get_array()) {
    const json::value* id = value.is_object() ? value.get_object().if_contains("id") : nullptr;
    if (id == nullptr || !id->is_string()) return Invalid("providers", "a provider has no id");
    Provider provider;
    provider.id = id->get_string();
    auto discount = ReadPrice(value.get_object(), "batch_discount", provider.id);
    if (!discount.ok()) return discount.status();
    provider.batch_discount = *discount;
    const json::value* models = value.get_object().if_contains("models");
    if (models == nullptr || !models->is_array()) return Invalid(provider.id, "no models");
    for (const json::value& model : models->get_array()) {
      auto entry = ReadEntry(model, provider.id);
      if (!entry.ok()) return entry.status();
      provider.entries.push_back(std::move(*entry));
    }
    table.providers_.push_back(std::move(provider));
  }
  return table;
}

const PriceTable& PriceTable::Shipped() {
  static const PriceTable table = [] {
    auto parsed = Parse(kShippedPriceTable);
    // The generator and cost_test check the shipped table; a bad one is a build defect.
    if (!parsed.ok()) throw std::logic_error(parsed.status().message());
    return std::move(*parsed);
  }();
  return table;
}

const ModelPrices* PriceTable::Find(std::string_view provider, std::string_view model) const {
  std::string lower = Lower(model);
  for (const Provider& p : providers_) {
    if (p.id != provider) continue;
    for (const Entry& entry : p.entries) {
      for (const Rule& rule : entry.rules) {
        if (Matches(rule, model, lower)) return &entry.prices;
      }
    }
  }
  return nullptr;
}

std::optional<double> PriceTable::BatchDiscount(std::string_view provider) const {
  for (const Provider& p : providers_) {
    if (p.id == provider) return p.batch_discount;
  }
  return std::nullopt;
}

}  // namespace sluice::cost
