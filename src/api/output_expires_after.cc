#include "api/output_expires_after.h"

#include <boost/json.hpp>
#include <string>

#include "api/errors.h"
#include "http/json_type_name.h"
#include "provider_batch/submissions.h"

namespace sluice::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kField = "output_expires_after";
// OpenAI's bounds: an hour to 30 days.
constexpr std::int64_t kMinSeconds = 3600;
constexpr std::int64_t kMaxSeconds = 2592000;

http::Response InvalidType(const std::string& param, std::string_view expected,
                           const json::value& got) {
  return InvalidRequest(400,
                        "Invalid type for '" + param + "': expected " + std::string(expected) +
                            ", but got " + std::string(http::JsonTypeName(got)) + " instead.",
                        param, "invalid_type");
}

http::Response Missing(const std::string& param) {
  return InvalidRequest(400, "Missing required parameter: '" + param + "'.", param,
                        "missing_required_parameter");
}

}  // namespace

std::variant<std::optional<std::chrono::seconds>, http::Response> ParseOutputExpiresAfter(
    const json::object& request) {
  const json::value* field = request.if_contains(kField);
  if (field == nullptr || field->is_null()) return std::nullopt;
  const std::string name(kField);
  if (!field->is_object()) return InvalidType(name, "an object", *field);
  const json::object& policy = field->get_object();
  const json::value* anchor = policy.if_contains("anchor");
  const json::value* seconds = policy.if_contains("seconds");
  if (anchor == nullptr) return Missing(name + ".anchor");
  if (!anchor->is_string()) return InvalidType(name + ".anchor", "a string", *anchor);
  if (anchor->get_string() != "created_at") {
    return InvalidRequest(400,
                          "Invalid value: '" + std::string(anchor->get_string()) +
                              "'. Supported values are: 'created_at'.",
                          name + ".anchor", "invalid_value");
  }
  if (seconds == nullptr) return Missing(name + ".seconds");
  if (!seconds->is_int64() && !seconds->is_uint64()) {
    return InvalidType(name + ".seconds", "an integer", *seconds);
  }
  bool huge = seconds->is_uint64();  // past int64, so past the maximum too
  std::int64_t value = huge ? kMaxSeconds + 1 : seconds->get_int64();
  if (value < kMinSeconds || value > kMaxSeconds) {
    bool below = value < kMinSeconds;
    std::string got = huge ? std::to_string(seconds->get_uint64()) : std::to_string(value);
    return InvalidRequest(
        400,
        "Invalid '" + name + ".seconds': integer " + (below ? "below minimum" : "above maximum") +
            " value. Expected a value " + (below ? ">= " : "<= ") +
            std::to_string(below ? kMinSeconds : kMaxSeconds) + ", but got " + got + " instead.",
        name + ".seconds", below ? "integer_below_min_value" : "integer_above_max_value");
  }
  return std::chrono::seconds(value);
}

void SetOutputExpiresAfter(json::object& batch, std::chrono::seconds seconds) {
  batch[kField] = json::object{{"anchor", "created_at"}, {"seconds", seconds.count()}};
}

std::optional<std::chrono::seconds> OutputExpiresAfter(const json::object& batch) {
  const json::value* field = batch.if_contains(kField);
  if (field == nullptr || !field->is_object()) return std::nullopt;
  const json::value* seconds = field->get_object().if_contains("seconds");
  if (seconds == nullptr || !seconds->is_int64()) return std::nullopt;
  return std::chrono::seconds(seconds->get_int64());
}

json::object ClientView(json::object batch) {
  batch.erase(kField);
  batch.erase(provider_batch::kStateKey);
  return batch;
}

}  // namespace sluice::api
