#include "batch/canonical_json.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "common/json_text.h"

namespace sluice::batch {
namespace {

// Doubles of integral value within ±2^53 are written as integers: 1.0 and 1 are one number.
constexpr double kExactIntegers = 9007199254740992.0;

void WriteNumber(double value, std::string& out) {
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) <= kExactIntegers) {
    out += std::to_string(static_cast<std::int64_t>(value));
    return;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  out += buffer;
}

void Write(simdjson::dom::element element, std::string& out) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      // Named first: a range-for over value_unsafe() of the temporary result would outlive it.
      simdjson::dom::object object = element.get_object().value_unsafe();
      for (auto field : object) {
        fields.emplace_back(field.key, field.value);
      }
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        out += JsonQuote(fields[i].first);
        out += ':';
        Write(fields[i].second, out);
      }
      out += '}';
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      simdjson::dom::array array = element.get_array().value_unsafe();
      for (simdjson::dom::element value : array) {
        if (!first) out += ',';
        first = false;
        Write(value, out);
      }
      out += ']';
      return;
    }
    case simdjson::dom::element_type::STRING:
      out += JsonQuote(element.get_string().value_unsafe());
      return;
    case simdjson::dom::element_type::INT64:
      out += std::to_string(element.get_int64().value_unsafe());
      return;
    case simdjson::dom::element_type::UINT64:
      out += std::to_string(element.get_uint64().value_unsafe());
      return;
    case simdjson::dom::element_type::DOUBLE:
      WriteNumber(element.get_double().value_unsafe(), out);
      return;
    case simdjson::dom::element_type::BOOL:
      out += element.get_bool().value_unsafe() ? "true" : "false";
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      out += "null";
      return;
  }
}

}  // namespace

std::optional<std::string> CanonicalJson(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  Write(root, out);
  return out;
}

}  // namespace sluice::batch
