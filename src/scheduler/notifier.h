// Notifier: a level-triggered wake-up for one waiting coroutine. Notify() before Wait() is not
// lost. Threading: Notify and Wait on the same single-threaded executor.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::scheduler {

class Notifier {
 public:
  explicit Notifier(boost::asio::any_io_executor executor)
      : timer_(executor, boost::asio::steady_timer::time_point::max()) {}

  void Notify() {
    notified_ = true;
    timer_.cancel();
  }

  // Returns at once when notified since the last Wait; otherwise when Notify is called (or the
  // wait is cancelled).
  boost::asio::awaitable<void> Wait() {
    if (!notified_) {
      timer_.expires_at(boost::asio::steady_timer::time_point::max());
      co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    notified_ = false;
  }

 private:
  boost::asio::steady_timer timer_;
  bool notified_ = false;
};

}  // namespace sluice::scheduler
