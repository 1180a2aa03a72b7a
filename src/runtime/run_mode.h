// How `sluice run` settles the mode of a batch: the decision kept in its record's data (so a
// resumed batch runs as it started), or a new one (DecideMode at the configured limits), and
// the deadline a provider-mode batch must meet. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "api/batch_mode.h"
#include "batch/ingest.h"
#include "batch/records.h"
#include "config/config.h"
#include "provider_batch/provider_batch_runner.h"

namespace sluice::runtime {

struct RunModeRequest {
  std::optional<config::BatchMode> mode;  // --mode; unset: the config's batch_mode
  Duration window{};                      // --completion-window
  WallTime now{};
};

// The decision `record` keeps when it was asked for the same mode; otherwise a new one for the
// file `ingest` describes. A batch with provider batches still open stays in provider mode
// whatever is asked, so that no line in them is sent a second time.
api::ModeDecision ModeForRun(const config::Config& config, const RunModeRequest& request,
                             const batch::BatchRecord& record, const batch::IngestReport& ingest);

// The decision a batch record's data keeps; nullopt when none.
std::optional<api::ModeDecision> ModeDecisionIn(const std::string& data);

// `data` (a batch record's JSON) with `decision` kept in it, other keys left alone.
std::string WithModeDecision(const std::string& data, const api::ModeDecision& decision);

}  // namespace sluice::runtime
