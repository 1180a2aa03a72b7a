// Sender: delivers the outbox's webhook events — POST with the Standard Webhooks headers
// (webhook-id, webhook-timestamp, webhook-signature) — at least once. A 2xx answer removes the
// event; any other answer, a timeout or a refused connection is tried again with exponential
// backoff (full jitter, base_delay doubling up to max_delay) until give_up_after has passed since
// the event, when it is dropped with a warning. Each try is saved in the outbox first, so a
// restart goes on where the last process stopped. Deliveries run side by side (up to
// max_in_flight): a slow receiver delays only its own events, never a batch.
// Threading: every method on the io executor; outbox files are written on `file_executor`.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "http/client.h"
#include "scheduler/notifier.h"
#include "webhooks/delivery.h"

namespace sluice::webhooks {

struct SenderOptions {
  std::string key;  // the decoded secret (DecodeSecret)
  Duration base_delay = std::chrono::seconds(5);
  Duration max_delay = std::chrono::hours(1);
  Duration give_up_after = std::chrono::hours(24);
  Duration timeout = std::chrono::seconds(30);  // one try, end to end
  std::size_t max_in_flight = 16;
};

struct SenderCounts {
  std::int64_t delivered = 0;
  std::int64_t failed_tries = 0;  // answers that were not 2xx, timeouts, refusals
  std::int64_t given_up = 0;
  std::int64_t pending = 0;
};

class Sender {
 public:
  Sender(boost::asio::any_io_executor io, boost::asio::any_io_executor file_executor,
         Clock& clock, http::Client& client, const Outbox& outbox, SenderOptions options);

  // Loads the outbox, then delivers until Stop(). Deliveries in flight at Stop are finished.
  boost::asio::awaitable<void> Run();
  void Stop();
  // A delivery already durable in the outbox, to be sent now.
  void Add(Delivery delivery);

  const SenderCounts& counts() const { return counts_; }

 private:
  boost::asio::awaitable<void> Deliver(Delivery delivery);
  // When a delivery whose `attempts` failed should be tried again; nullopt: give up.
  std::optional<std::int64_t> NextAttemptMs(const Delivery& delivery);
  std::int64_t NowMs() const;

  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor file_executor_;
  Clock& clock_;
  http::Client& client_;
  const Outbox& outbox_;
  SenderOptions options_;
  Random random_{0x3e6d};
  std::multimap<std::int64_t, Delivery> waiting_;  // by next attempt, Unix ms
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  scheduler::Notifier wake_;
  scheduler::Notifier idle_;  // a delivery finished (for Run's end)
  SenderCounts counts_;
};

}  // namespace sluice::webhooks
