#include "runtime/retention_sweeper.h"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "http/offload.h"
#include "http/sleep.h"
#include "store/sweep_expired_files.h"

namespace sluice::runtime {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

RetentionSweeper::RetentionSweeper(RetentionSweeperDeps deps, RetentionSweeperOptions options)
    : deps_(std::move(deps)), options_(options), stop_(deps_.io) {}

void RetentionSweeper::Stop() {
  stopping_ = true;
  stop_.Notify();
}

asio::awaitable<void> RetentionSweeper::Run() {
  while (!stopping_) {
    co_await (http::SleepFor(deps_.clock, options_.interval) || stop_.Wait());
    if (stopping_) break;
    Result<std::size_t> swept = co_await SweepOnce();
    if (!swept.ok()) {
      spdlog::warn("cannot remove expired files: {}; trying again at the next sweep",
                   swept.status().ToString());
    } else if (*swept > 0) {
      spdlog::info("removed {} expired file(s)", *swept);
    }
  }
}

asio::awaitable<Result<std::size_t>> RetentionSweeper::SweepOnce() {
  std::size_t removed = 0;
  // Files that expire while the sweep runs wait for the next one: the sweep has an end.
  WallTime now = deps_.clock.WallNow();
  auto page = [this, now] {
    return store::SweepExpiredFiles(deps_.store, deps_.bodies, now, options_.page);
  };
  while (!stopping_) {
    Result<store::SweptPage> swept =
        co_await http::Offload<Result<store::SweptPage>>(deps_.store_executor, deps_.io, page);
    if (!swept.ok()) co_return swept.status();
    removed += swept->removed;
    if (!swept->full) break;
  }
  co_return removed;
}

}  // namespace sluice::runtime
