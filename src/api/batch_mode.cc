#include "api/batch_mode.h"

#include "api/errors.h"

namespace sluice::api {
namespace json = boost::json;

RequestedMode ModeOfMetadata(const json::value& metadata) {
  RequestedMode out;
  const json::value* mode =
      metadata.is_object() ? metadata.get_object().if_contains("sluice_mode") : nullptr;
  if (mode == nullptr) return out;
  // CheckMetadata has made sure every value is a string.
  std::string text = mode->is_string() ? std::string(mode->get_string()) : std::string();
  out.mode = config::ParseBatchMode(text);
  if (!out.mode) {
    out.error = InvalidRequest(400,
                               "Invalid 'metadata.sluice_mode': '" + text + "'. Use " +
                                   std::string(config::kAllowedBatchModes) + ".",
                               "metadata.sluice_mode", "invalid_value");
  }
  return out;
}

void SetMode(json::object& batch, config::BatchMode mode) {
  json::value& sluice = batch["sluice"];
  if (!sluice.is_object()) sluice = json::object();
  sluice.as_object()["mode"] = config::BatchModeName(mode);
}

config::BatchMode ModeOf(const json::object& batch) {
  const json::value* sluice = batch.if_contains("sluice");
  const json::value* mode =
      sluice && sluice->is_object() ? sluice->get_object().if_contains("mode") : nullptr;
  if (mode == nullptr || !mode->is_string()) return config::BatchMode::kRealtime;
  return config::ParseBatchMode(mode->get_string()).value_or(config::BatchMode::kRealtime);
}

}  // namespace sluice::api
