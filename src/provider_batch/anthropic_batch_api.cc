// AnthropicBatchApi: BatchApi over Anthropic's Message Batches — the lines go inline in the
// create request, as the adapter encodes them for /v1/messages; results come from results_url.
#include <fmt/format.h>

#include "provider_batch/anthropic_batch_wire.h"
#include "provider_batch/batch_api.h"

namespace sluice::provider_batch {
namespace asio = boost::asio;
namespace {

constexpr std::string_view kVersion = "2023-06-01";

class AnthropicBatchApi : public BatchApi {
 public:
  AnthropicBatchApi(http::Client& client, std::string base_url, std::string api_key,
                    const providers::Provider& provider)
      : client_(client),
        base_url_(std::move(base_url)),
        api_key_(std::move(api_key)),
        provider_(provider) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    // A base_url ending in /v1 works too, as for the real-time requests.
    if (base_url_.ends_with("/v1")) base_url_.resize(base_url_.size() - 3);
  }

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

  asio::awaitable<Result<UpstreamStatus>> Poll(std::string upstream_id) override {
    http::ClientRequest get = Request("GET", base_url_ + "/v1/messages/batches/" + upstream_id);
    std::string poll_step = "poll batch " + upstream_id;
    Result<http::Response> answer = co_await Call(client_, std::move(poll_step), std::move(get));
    if (!answer.ok()) {
      if (answer.status().code() == StatusCode::kNotFound) {
        co_return UpstreamStatus{UpstreamState::kNotFound, "not_found", "", "", {}};
      }
      co_return answer.status();
    }
    SLUICE_CO_ASSIGN_OR_RETURN(MessageBatch batch, ParseMessageBatch(answer->body));
    co_return batch.status;
  }

  asio::awaitable<Result<UpstreamResults>> Fetch(UpstreamStatus ended) override {
    UpstreamResults results;
    for (const std::string& url : ended.result_locations) {
      http::ClientRequest get = Request("GET", url);
      std::string results_step = "results";
      SLUICE_CO_ASSIGN_OR_RETURN(http::Response content,
                                 co_await Call(client_, std::move(results_step), std::move(get)));
      ParseMessageBatchResults(content.body, results);
    }
    co_return results;
  }

  asio::awaitable<Status> Cancel(std::string upstream_id) override {
    http::ClientRequest cancel =
        Request("POST", base_url_ + "/v1/messages/batches/" + upstream_id + "/cancel");
    std::string cancel_step = "cancel batch " + upstream_id;
    Result<http::Response> answer =
        co_await Call(client_, std::move(cancel_step), std::move(cancel));
    co_return answer.status();
  }

  providers::Outcome Decode(const http::Response& response) const override {
    return provider_.Decode(Result<http::Response>(response));
  }

 private:
  http::ClientRequest Request(std::string method, std::string url) const {
    http::ClientRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers.Set("x-api-key", api_key_);
    request.headers.Set("anthropic-version", std::string(kVersion));
    return request;
  }

  http::Client& client_;
  std::string base_url_;
  std::string api_key_;
  const providers::Provider& provider_;
};

}  // namespace

std::unique_ptr<BatchApi> MakeAnthropicBatchApi(http::Client& client, std::string base_url,
                                                std::string api_key,
                                                const providers::Provider& provider) {
  return std::make_unique<AnthropicBatchApi>(client, std::move(base_url), std::move(api_key),
                                             provider);
}

}  // namespace sluice::provider_batch
