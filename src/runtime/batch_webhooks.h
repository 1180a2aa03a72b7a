// BatchWebhooks: sluice serve's webhooks for batches that end (batch.completed, batch.failed,
// batch.expired, batch.cancelled). Where a batch's event goes: its metadata.webhook_url, else its
// tenant's key's webhook_url, else nowhere. Events are written to the outbox in
// <data_dir>/webhooks before the batch's terminal status is saved, and a webhooks::Sender delivers
// them, at least once, across restarts. Threading: OnTerminal on any thread (the store's);
// everything else on the io executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "http/client.h"
#include "webhooks/sender.h"

namespace sluice::runtime {

class BatchWebhooks {
 public:
  // nullptr when webhooks are off (no webhooks.secret).
  static Result<std::unique_ptr<BatchWebhooks>> Create(boost::asio::any_io_executor io,
                                                       boost::asio::any_io_executor file_executor,
                                                       Clock& clock, const config::Config& config);

  // BatchesApiOptions::on_terminal: the batch's event into the outbox, then to the sender.
  Status OnTerminal(const boost::json::object& batch, const std::string& tenant);
  // BatchesApiOptions::webhook_url_problem.
  std::optional<std::string> UrlProblem(std::string_view url) const;

  boost::asio::awaitable<void> Run() { return sender_->Run(); }
  void Stop() { sender_->Stop(); }
  const webhooks::SenderCounts& counts() const { return sender_->counts(); }

  BatchWebhooks(boost::asio::any_io_executor io, Clock& clock, const config::Config& config);

 private:
  boost::asio::any_io_executor io_;
  Clock& clock_;
  config::HostPort listen_;
  std::map<std::string, std::string> key_urls_;  // by tenant
  webhooks::Outbox outbox_;
  std::unique_ptr<http::Client> client_;
  std::unique_ptr<webhooks::Sender> sender_;
};

}  // namespace sluice::runtime
