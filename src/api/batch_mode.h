// How a batch created through the API runs: its metadata.sluice_mode (realtime, provider or
// auto), else the gateway's batch_mode; kept in the Batch object as sluice.mode, and once the
// batch starts, what was decided and why as sluice.mode_decision (sluice run keeps the same in
// its batch record). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "config/config.h"
#include "http/message.h"

namespace sluice::api {

// The mode `metadata` asks for (nullopt when it names none), or the 400 naming
// metadata.sluice_mode for a value that is not a mode.
struct RequestedMode {
  std::optional<config::BatchMode> mode;
  std::optional<http::Response> error;
};
RequestedMode ModeOfMetadata(const boost::json::value& metadata);

// Records `mode` in the object (sluice.mode) / reads it back (realtime when absent).
void SetMode(boost::json::object& batch, config::BatchMode mode);
config::BatchMode ModeOf(const boost::json::object& batch);

// The mode a batch runs in, decided when it starts (for `auto`: cost::ChooseMode) and kept.
struct ModeDecision {
  config::BatchMode requested = config::BatchMode::kAuto;
  config::BatchMode chosen = config::BatchMode::kRealtime;  // realtime or provider
  std::vector<std::string> reasons;                         // most decisive first
  WallTime decided_at{};
  WallTime deadline{};  // the end of the batch's completion window
  // Provider mode: when its unfinished lines moved to real time to meet the deadline, and why.
  std::optional<WallTime> moved_at = std::nullopt;
  std::string moved_reason = {};
};

// sluice.mode_decision {requested, chosen, reasons, decided_at, deadline, moved_to_realtime}
// (times in Unix seconds; moved_to_realtime null or {at, reason}); sets sluice.mode to the
// chosen mode too.
void SetModeDecision(boost::json::object& batch, const ModeDecision& decision);
// What SetModeDecision recorded; nullopt when nothing (or nothing readable) was.
std::optional<ModeDecision> ModeDecisionOf(const boost::json::object& batch);
// One line for the log and sluice run's summary: "auto chose provider: <reason>; <reason>", or
// for a mode asked for, "provider (asked for)".
std::string DescribeModeDecision(const ModeDecision& decision);

}  // namespace sluice::api
