// AnthropicBatchApi: BatchApi over Anthropic's Message Batches — the lines go inline in the
// create request, as the adapter encodes them for /v1/messages; results come from results_url.
#include "provider_batch/anthropic_batch_wire.h"
#include "provider_batch/http_batch_api.h"

namespace sluice::provider_batch {
namespace asio = boost::asio;
namespace {

constexpr std::string_view kVersion = "2023-06-01";

// `base_url` without a trailing "/v1": a base_url ending in /v1 works too, as for real time.
std::string Origin(std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (base_url.ends_with("/v1")) base_url.resize(base_url.size() - 3);
  return base_url;
}

class AnthropicBatchApi : public HttpBatchApi {
 public:
  AnthropicBatchApi(http::Client& client, std::string base_url, std::string api_key,
                    const providers::Provider& provider)
      : HttpBatchApi(client, Origin(std::move(base_url)), provider), api_key_(std::move(api_key)) {}

  asio::awaitable<Result<std::string>> Submit(std::string,
                                              std::vector<UpstreamRequest> requests) override {
    http::ClientRequest create = Request("POST", base_url_ + "/v1/messages/batches");
    create.headers.Set("content-type", "application/json");
    create.body = MessageBatchBody(requests);
    std::string create_step = "create batch";
    SLUICE_CO_ASSIGN_OR_RETURN(http::Response created,
                               co_await Call(client_, std::move(create_step), std::move(create)));
    Result<MessageBatch> batch = ParseMessageBatch(created.body);
    // Perhaps created: the next poll looks for it.
    if (!batch.ok()) co_return UnavailableError("create batch: " + batch.status().message());
    co_return batch->id;
  }

  asio::awaitable<Result<std::optional<std::string>>> Find(std::string, FindHint hint) override {
    // Message Batches carry no metadata: the batch is recognised by when it was created and how
    // many requests it holds (the newest page is enough: it was created moments before).
    http::ClientRequest list = Request("GET", base_url_ + "/v1/messages/batches?limit=100");
    std::string list_step = "list batches";
    SLUICE_CO_ASSIGN_OR_RETURN(http::Response page,
                               co_await Call(client_, std::move(list_step), std::move(list)));
    co_return FindInMessageBatchPage(page.body, Rfc3339Seconds(hint.not_before), hint.requests,
                                     hint.known_ids);
  }

  asio::awaitable<Result<UpstreamResults>> Fetch(UpstreamStatus ended) override {
    co_return co_await FetchAll(std::move(ended.result_locations), &ParseMessageBatchResults);
  }

 private:
  void Authorize(http::Headers& headers) const override {
    headers.Set("x-api-key", api_key_);
    headers.Set("anthropic-version", std::string(kVersion));
  }

  std::string BatchUrl(const std::string& id) const override {
    return base_url_ + "/v1/messages/batches/" + id;
  }

  Result<UpstreamStatus> StatusIn(std::string_view body) const override {
    SLUICE_ASSIGN_OR_RETURN(MessageBatch batch, ParseMessageBatch(body));
    return batch.status;
  }

  std::string api_key_;
};

}  // namespace

std::unique_ptr<BatchApi> MakeAnthropicBatchApi(http::Client& client, std::string base_url,
                                                std::string api_key,
                                                const providers::Provider& provider) {
  return std::make_unique<AnthropicBatchApi>(client, std::move(base_url), std::move(api_key),
                                             provider);
}

}  // namespace sluice::provider_batch
