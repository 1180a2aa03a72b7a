// HttpBatchApi: what the providers' batch APIs share — the account (HTTP client, base URL, the
// deployment's adapter), polling a batch (GET; a 404 means the provider does not know it),
// cancelling one (POST …/cancel), decoding answers through the adapter — and Call, one HTTP
// exchange whose non-2xx answer is a Status. Threading: the client's executor.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "provider_batch/batch_api.h"

namespace sluice::provider_batch {

class HttpBatchApi : public BatchApi {
 public:
  boost::asio::awaitable<Result<UpstreamStatus>> Poll(std::string upstream_id) override;
  boost::asio::awaitable<Status> Cancel(std::string upstream_id) override;
  providers::Outcome Decode(const http::Response& response) const override;

 protected:
  // `base_url` loses its trailing '/'.
  HttpBatchApi(http::Client& client, std::string base_url, const providers::Provider& provider);

  // A request to the absolute `url`, with the provider's credentials (Authorize).
  http::ClientRequest Request(std::string method, std::string url) const;
  virtual void Authorize(http::Headers& headers) const = 0;
  // GETs each of `urls` in turn and adds what `parse` reads in its body to the results.
  using ResultParser = void (*)(std::string_view body, UpstreamResults& results);
  boost::asio::awaitable<Result<UpstreamResults>> FetchAll(std::vector<std::string> urls,
                                                           ResultParser parse);
  // Where the batch `id` is ("<base>/batches/<id>").
  virtual std::string BatchUrl(const std::string& id) const = 0;
  // What the provider's batch object in `body` says.
  virtual Result<UpstreamStatus> StatusIn(std::string_view body) const = 0;

  http::Client& client_;
  std::string base_url_;
  const providers::Provider& provider_;
};

// Sends `request` and returns the answer when it is a 2xx; otherwise the client's failure or
// UpstreamError, each naming the call `what` ("create batch").
boost::asio::awaitable<Result<http::Response>> Call(http::Client& client, std::string what,
                                                    http::ClientRequest request);

// A provider answer that is not a 2xx, as a Status naming the call `what`: 404 kNotFound (the
// id is gone), 408, 429 and 5xx kUnavailable (try again later), others kFailedPrecondition.
Status UpstreamError(std::string_view what, const http::Response& response);

}  // namespace sluice::provider_batch
