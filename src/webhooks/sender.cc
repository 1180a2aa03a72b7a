#include "webhooks/sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "http/offload.h"
#include "http/sleep.h"
#include "webhooks/signature.h"

namespace sluice::webhooks {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

Sender::Sender(asio::any_io_executor io, asio::any_io_executor file_executor, Clock& clock,
               http::Client& client, const Outbox& outbox, SenderOptions options)
    : io_(io),
      file_executor_(std::move(file_executor)),
      clock_(clock),
      client_(client),
      outbox_(outbox),
      options_(std::move(options)),
      wake_(io),
      idle_(io) {}

std::int64_t Sender::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.WallNow().time_since_epoch())
      .count();
}

void Sender::Stop() {
  stopping_ = true;
  wake_.Notify();
}

void Sender::Add(Delivery delivery) {
  waiting_.emplace(delivery.next_attempt_ms, std::move(delivery));
  counts_.pending = static_cast<std::int64_t>(waiting_.size() + in_flight_);
  wake_.Notify();
}

asio::awaitable<void> Sender::Run() {
  std::vector<std::string> unreadable;
  const Outbox& outbox = outbox_;
  auto load = [&outbox, &unreadable] { return outbox.Load(&unreadable); };
  auto loaded = co_await http::Offload<Result<std::vector<Delivery>>>(file_executor_, io_, load);
  for (const std::string& path : unreadable) {
    spdlog::warn("webhooks: cannot read {}; it is left in place and not sent", path);
  }
  if (!loaded.ok()) {
    spdlog::error("webhooks: {}; pending events are not sent", loaded.status().ToString());
  } else {
    for (Delivery& delivery : *loaded) Add(std::move(delivery));
  }
  while (!stopping_) {
    std::int64_t now = NowMs();
    while (!waiting_.empty() && waiting_.begin()->first <= now &&
           in_flight_ < options_.max_in_flight) {
      Delivery delivery = std::move(waiting_.begin()->second);
      waiting_.erase(waiting_.begin());
      ++in_flight_;
      asio::co_spawn(io_, Deliver(std::move(delivery)), asio::detached);
    }
    if (!waiting_.empty() && in_flight_ < options_.max_in_flight) {
      auto wait = std::chrono::milliseconds(waiting_.begin()->first - now);
      co_await (http::SleepFor(clock_, wait) || wake_.Wait());
    } else {
      co_await wake_.Wait();
    }
  }
  while (in_flight_ > 0) co_await idle_.Wait();
}

std::optional<std::int64_t> Sender::NextAttemptMs(const Delivery& delivery) {
  std::int64_t now = NowMs();
  auto give_up = std::chrono::duration_cast<std::chrono::milliseconds>(options_.give_up_after);
  if (now - delivery.created_at * 1000 >= give_up.count()) return std::nullopt;
  // Half fixed, half jitter: receivers that are down are not hammered by early retries.
  double cap = std::min(
      static_cast<double>(options_.max_delay.count()),
      static_cast<double>(options_.base_delay.count()) * std::pow(2.0, std::min(delivery.attempts - 1, 30)));
  auto backoff = Duration(static_cast<Duration::rep>(cap / 2 + random_.Uniform() * cap / 2));
  return now + std::chrono::duration_cast<std::chrono::milliseconds>(backoff).count();
}

asio::awaitable<void> Sender::Deliver(Delivery delivery) {
  std::int64_t timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.WallNow().time_since_epoch()).count();
  http::ClientRequest request;
  request.url = delivery.url;
  request.headers.Set("content-type", "application/json");
  request.headers.Set("user-agent", "sluice-webhooks");
  request.headers.Set("webhook-id", delivery.event_id);
  request.headers.Set("webhook-timestamp", std::to_string(timestamp));
  request.headers.Set("webhook-signature",
                      Sign(options_.key, delivery.event_id, timestamp, delivery.body));
  request.body = delivery.body;
  request.total_timeout = options_.timeout;
  Result<http::Response> answer = co_await client_.Send(std::move(request));
  bool delivered = answer.ok() && answer->status >= 200 && answer->status <= 299;
  const Outbox& outbox = outbox_;
  Status saved;
  if (delivered) {
    ++counts_.delivered;
    // Named, not written inside the co_await: GCC 12 destroys a lambda temporary of a co_await
    // expression twice.
    auto remove = [&outbox, id = delivery.event_id] { return outbox.Remove(id); };
    saved = co_await http::Offload<Status>(file_executor_, io_, remove);
  } else {
    ++counts_.failed_tries;
    ++delivery.attempts;
    std::string why = answer.ok() ? "answered " + std::to_string(answer->status)
                                  : answer.status().message();
    std::optional<std::int64_t> next = NextAttemptMs(delivery);
    if (!next) {
      ++counts_.given_up;
      spdlog::warn("webhooks: {} to {} given up after {} tries; last: {}", delivery.event_id,
                   delivery.url, delivery.attempts, why);
      auto remove = [&outbox, id = delivery.event_id] { return outbox.Remove(id); };
      saved = co_await http::Offload<Status>(file_executor_, io_, remove);
    } else {
      spdlog::info("webhooks: {} to {} {}; trying again in {} ms", delivery.event_id,
                   delivery.url, why, *next - NowMs());
      delivery.next_attempt_ms = *next;
      auto put = [&outbox, delivery] { return outbox.Put(delivery); };
      saved = co_await http::Offload<Status>(file_executor_, io_, put);
      if (!stopping_) waiting_.emplace(*next, std::move(delivery));
    }
  }
  if (!saved.ok()) spdlog::warn("webhooks: {}", saved.ToString());
  --in_flight_;
  counts_.pending = static_cast<std::int64_t>(waiting_.size() + in_flight_);
  wake_.Notify();
  idle_.Notify();
}

}  // namespace sluice::webhooks
