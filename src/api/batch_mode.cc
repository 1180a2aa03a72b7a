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

namespace {

std::int64_t UnixSeconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

WallTime FromUnixSeconds(std::int64_t s) { return WallTime(std::chrono::seconds(s)); }

json::object& SluiceOf(json::object& batch) {
  json::value& sluice = batch["sluice"];
  if (!sluice.is_object()) sluice = json::object();
  return sluice.as_object();
}

}  // namespace

void SetModeDecision(json::object& batch, const ModeDecision& decision) {
  json::array reasons;
  for (const std::string& reason : decision.reasons) reasons.emplace_back(reason);
  json::value moved = nullptr;
  if (decision.moved_at) {
    moved = json::object{{"at", UnixSeconds(*decision.moved_at)},
                         {"reason", decision.moved_reason}};
  }
  SetMode(batch, decision.chosen);
  SluiceOf(batch)["mode_decision"] =
      json::object{{"requested", config::BatchModeName(decision.requested)},
                   {"chosen", config::BatchModeName(decision.chosen)},
                   {"reasons", std::move(reasons)},
                   {"decided_at", UnixSeconds(decision.decided_at)},
                   {"deadline", UnixSeconds(decision.deadline)},
                   {"moved_to_realtime", std::move(moved)}};
}

std::optional<ModeDecision> ModeDecisionOf(const json::object& batch) {
  const json::value* sluice = batch.if_contains("sluice");
  const json::value* saved =
      sluice && sluice->is_object() ? sluice->get_object().if_contains("mode_decision") : nullptr;
  if (saved == nullptr || !saved->is_object()) return std::nullopt;
  const json::object& o = saved->get_object();
  auto mode = [&](std::string_view key) -> std::optional<config::BatchMode> {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? config::ParseBatchMode(v->get_string()) : std::nullopt;
  };
  auto seconds = [&](const json::object& from, std::string_view key) -> std::optional<WallTime> {
    const json::value* v = from.if_contains(key);
    return v && v->is_int64() ? std::optional(FromUnixSeconds(v->get_int64())) : std::nullopt;
  };
  std::optional<config::BatchMode> requested = mode("requested");
  std::optional<config::BatchMode> chosen = mode("chosen");
  std::optional<WallTime> decided_at = seconds(o, "decided_at");
  std::optional<WallTime> deadline = seconds(o, "deadline");
  if (!requested || !chosen || !decided_at || !deadline) return std::nullopt;
  ModeDecision decision{*requested, *chosen, {}, *decided_at, *deadline};
  if (const json::value* reasons = o.if_contains("reasons"); reasons && reasons->is_array()) {
    for (const json::value& reason : reasons->get_array()) {
      if (reason.is_string()) decision.reasons.emplace_back(reason.get_string());
    }
  }
  const json::value* moved = o.if_contains("moved_to_realtime");
  if (moved && moved->is_object()) {
    decision.moved_at = seconds(moved->get_object(), "at");
    const json::value* reason = moved->get_object().if_contains("reason");
    if (reason && reason->is_string()) decision.moved_reason = reason->get_string();
  }
  return decision;
}

std::string DescribeModeDecision(const ModeDecision& decision) {
  std::string chosen(config::BatchModeName(decision.chosen));
  bool decided = decision.requested == config::BatchMode::kAuto;
  std::string line = decided ? "auto chose " + chosen : chosen;
  for (std::size_t i = 0; i < decision.reasons.size(); ++i) {
    line += (i == 0 ? (decided ? ": " : " (") : "; ") + decision.reasons[i];
  }
  if (!decided && !decision.reasons.empty()) line += ")";
  if (decision.moved_at) {
    line += "; then moved its unfinished lines to real time: " + decision.moved_reason;
  }
  return line;
}

}  // namespace sluice::api
