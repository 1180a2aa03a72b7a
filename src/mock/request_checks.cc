#include "mock/request_checks.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "http/json_type_name.h"

namespace sluice::mock {

namespace json = boost::json;

http::ApiError BadRequest(std::string message, std::optional<std::string> param,
                          std::optional<std::string> code) {
  return http::ApiError{400, "invalid_request_error", std::move(message), std::move(code),
                        std::move(param)};
}

http::ApiError InvalidType(std::string_view param, std::string_view expected,
                           const json::value& got) {
  return BadRequest(fmt::format("Invalid type for '{}': expected {}, but got {} instead.", param,
                                expected, http::JsonTypeName(got)),
                    std::string(param), "invalid_type");
}
http::ApiError Missing(std::string_view param) {
  return BadRequest(fmt::format("Missing required parameter: '{}'.", param), std::string(param),
                    "missing_required_parameter");
}

std::string EchoPrefix(std::string_view text) {
  if (text.size() <= kMaxEchoBytes) return std::string(text);
  std::size_t cut = kMaxEchoBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

Check ReadBoundedInt(const json::object& body, std::string_view key, std::int64_t lo,
                     std::int64_t hi, std::optional<std::int64_t>& out) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_int64() && !v->is_uint64()) return InvalidType(key, "an integer", *v);
  if (v->is_uint64() || v->as_int64() > hi) {
    return BadRequest(fmt::format("Invalid '{}': integer above maximum value. Expected a value <= "
                                  "{}, but got {} instead.",
                                  key, hi, json::serialize(*v)),
                      std::string(key), "integer_above_max_value");
  }
  if (v->as_int64() < lo) {
    return BadRequest(fmt::format("Invalid '{}': integer below minimum value. Expected a value >= "
                                  "{}, but got {} instead.",
                                  key, lo, v->as_int64()),
                      std::string(key), "integer_below_min_value");
  }
  out = v->as_int64();
  return std::nullopt;
}

Check ReadModel(const json::object& body, MockRequest& r) {
  const json::value* v = body.if_contains("model");
  if (v == nullptr || v->is_null()) return BadRequest("you must provide a model parameter");
  if (!v->is_string()) return InvalidType("model", "a string", *v);
  r.model = std::string(v->as_string());
  return std::nullopt;
}

}  // namespace sluice::mock
