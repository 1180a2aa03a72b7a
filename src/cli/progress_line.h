// What `sluice run` shows while it works and when it ends: a live status line on a terminal
// (redrawn in place), a log line every few seconds otherwise, and the closing summaries.
// Used on the run's thread only.
#pragma once

#include <ostream>
#include <string>

#include "runtime/batch_run.h"

namespace sluice::cli {

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool tty) : out_(out), tty_(tty) {}

  // Shows the counters; on a terminal redraws the line, otherwise logs it.
  void Update(const scheduler::Progress& progress, Duration elapsed);
  // Removes the live line (terminal only) before other output.
  void Clear();

 private:
  std::ostream& out_;
  bool tty_;
  bool drawn_ = false;
  scheduler::Progress last_;
  Duration last_elapsed_{};
};

// "done 120/1000 (3 failed)  retrying 2  in flight 40  85.2 req/s  12.1k tok/s  429s 0  ETA 10s"
std::string FormatProgress(const scheduler::Progress& progress, double requests_per_second,
                           double tokens_per_second);

// The end-of-run summary: counts, tokens in and out, wall time, 429s, retries.
std::string RunSummary(const runtime::RunReport& report);
// The dry run's report: requests, tokens, the least time the limits allow.
std::string DryRunSummary(const runtime::RunReport& report);

}  // namespace sluice::cli
