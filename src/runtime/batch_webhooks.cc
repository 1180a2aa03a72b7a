#include "runtime/batch_webhooks.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "webhooks/signature.h"
#include "webhooks/webhook_url.h"

namespace sluice::runtime {
namespace asio = boost::asio;

BatchWebhooks::BatchWebhooks(asio::any_io_executor io, Clock& clock, const config::Config& config)
    : io_(io),
      clock_(clock),
      listen_(config.listen),
      outbox_(config.store.data_dir + "/webhooks"),
      client_(http::Client::Create(io, {})) {
  for (const config::GatewayKey& key : config.keys) {
    if (!key.webhook_url.empty()) key_urls_[key.name] = key.webhook_url;
  }
}

Result<std::unique_ptr<BatchWebhooks>> BatchWebhooks::Create(asio::any_io_executor io,
                                                             asio::any_io_executor file_executor,
                                                             Clock& clock,
                                                             const config::Config& config) {
  if (config.webhooks.secret.empty()) return std::unique_ptr<BatchWebhooks>();
  SLUICE_ASSIGN_OR_RETURN(std::string key, webhooks::DecodeSecret(config.webhooks.secret));
  auto hooks = std::make_unique<BatchWebhooks>(io, clock, config);
  webhooks::SenderOptions options;
  options.key = std::move(key);
  options.base_delay = config.webhooks.base_delay;
  options.max_delay = config.webhooks.max_delay;
  options.give_up_after = config.webhooks.give_up_after;
  hooks->sender_ = std::make_unique<webhooks::Sender>(io, std::move(file_executor), clock,
                                                      *hooks->client_, hooks->outbox_, options);
  return hooks;
}

Status BatchWebhooks::OnTerminal(const boost::json::object& batch, const std::string& tenant) {
  std::string url;
  const boost::json::value* metadata = batch.if_contains("metadata");
  const boost::json::value* own =
      metadata != nullptr && metadata->is_object() ? metadata->get_object().if_contains("webhook_url")
                                                   : nullptr;
  if (own != nullptr && own->is_string()) {
    url = own->get_string();
  } else if (auto it = key_urls_.find(tenant); it != key_urls_.end()) {
    url = it->second;
  }
  if (url.empty()) return OkStatus();
  std::optional<webhooks::Delivery> event = webhooks::BatchEvent(batch, url, clock_.WallNow());
  if (!event) return OkStatus();
  SLUICE_RETURN_IF_ERROR(outbox_.Put(*event));
  asio::post(io_, [this, delivery = std::move(*event)]() mutable {
    sender_->Add(std::move(delivery));
  });
  return OkStatus();
}

std::optional<std::string> BatchWebhooks::UrlProblem(std::string_view url) const {
  return webhooks::WebhookUrlProblem(url, listen_.host, listen_.port);
}

}  // namespace sluice::runtime
