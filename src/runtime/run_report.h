// What `sluice run`'s report says about a run: the progress counters of provider mode, the
// parts of a batch that ran in both modes added up, the results written out and priced.
// Internal to RunBatchFile. Pure, except WriteResults (the store and the output files).
#pragma once

#include <map>
#include <string>

#include "batch/records.h"
#include "config/config.h"
#include "provider_batch/provider_batch_runner.h"
#include "runtime/batch_run.h"
#include "runtime/store_retry.h"
#include "scheduler/dispatcher.h"
#include "store/store.h"

namespace sluice::runtime {

// The dispatcher's progress counters from provider mode's.
scheduler::Progress ProgressOf(const provider_batch::ProviderProgress& p);

// Adds what provider mode did before the lines moved to real time to the dispatcher's counts
// (its durable results are in those already).
void AddProviderPart(scheduler::Progress& into, const scheduler::Progress& provider);

// Writes `batch_id`'s results from the store into the requested output (and errors) file, and
// notes what they cost together.
Status WriteResults(store::Store& store, TransientRetry& retry, const std::string& batch_id,
                    const RunRequest& request, RunReport& report);

// Fills the report's costs where every model's price is known (what `realtime` answers cost at
// list price), and names the models whose price is not.
void PriceReport(const config::Config& config, RunReport& report,
                 const std::map<std::string, batch::Usage>& realtime);

}  // namespace sluice::runtime
