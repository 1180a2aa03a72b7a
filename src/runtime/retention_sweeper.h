// RetentionSweeper: the periodic half of file retention in `sluice serve` — every interval it
// removes the files whose expiry has come (store::SweepExpiredFiles, a page per store call, so
// other store work goes on between pages). A sweep that meets a store or disk error logs it and
// stops; the next sweep takes up what is left. Nothing it meets stops serve.
// Threading: Run and Stop on the io executor; store and disk work on the store executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "common/clock.h"
#include "common/result.h"
#include "scheduler/notifier.h"
#include "store/file_bodies.h"
#include "store/store.h"

namespace sluice::runtime {

// What the sweeper works with; all of it must outlive the sweeper.
struct RetentionSweeperDeps {
  boost::asio::any_io_executor io;
  boost::asio::any_io_executor store_executor;  // the store's one blocking thread
  Clock& clock;                                 // when to sweep, and what has expired
  store::Store& store;
  const store::FileBodies& bodies;
};

struct RetentionSweeperOptions {
  Duration interval = std::chrono::minutes(1);  // between sweeps (retention.sweep_interval)
  std::size_t page = 100;                       // files per store call
};

class RetentionSweeper {
 public:
  RetentionSweeper(RetentionSweeperDeps deps, RetentionSweeperOptions options);

  // Sweeps once an interval has passed, and again after every interval, until Stop.
  boost::asio::awaitable<void> Run();
  // Ends Run after the page in progress, if any.
  void Stop();

  // One whole sweep: every expired file, a page at a time. The number removed, or the first
  // error (files removed before it stay removed).
  boost::asio::awaitable<Result<std::size_t>> SweepOnce();

 private:
  RetentionSweeperDeps deps_;
  RetentionSweeperOptions options_;
  scheduler::Notifier stop_;
  bool stopping_ = false;
};

}  // namespace sluice::runtime
