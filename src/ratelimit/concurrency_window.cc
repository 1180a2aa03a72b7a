#include "ratelimit/concurrency_window.h"

#include <algorithm>
#include <cmath>

namespace sluice::ratelimit {

ConcurrencyWindow::ConcurrencyWindow(int ceiling, int start)
    : ceiling_(std::max(1, ceiling)),
      window_(std::clamp(static_cast<double>(start), 1.0, ceiling_)),
      slow_start_threshold_(ceiling_) {}

int ConcurrencyWindow::limit() const { return static_cast<int>(std::floor(window_)); }

void ConcurrencyWindow::OnSuccess() {
  double step = window_ < slow_start_threshold_ ? 1.0 : 1.0 / window_;
  window_ = std::min(ceiling_, window_ + step);
}

void ConcurrencyWindow::OnOverload(TimePoint admitted_at, TimePoint now) {
  if (admitted_at < last_decrease_) return;  // sent under the window already reduced
  window_ = std::max(1.0, std::floor(window_ / 2));
  slow_start_threshold_ = window_;
  last_decrease_ = now;
}

}  // namespace sluice::ratelimit
