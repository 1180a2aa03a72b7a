#include "provider_batch/http_batch_api.h"

#include <fmt/format.h>

namespace sluice::provider_batch {
namespace asio = boost::asio;

HttpBatchApi::HttpBatchApi(http::Client& client, std::string base_url,
                           const providers::Provider& provider)
    : client_(client), base_url_(std::move(base_url)), provider_(provider) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

asio::awaitable<Result<UpstreamStatus>> HttpBatchApi::Poll(std::string upstream_id) {
  http::ClientRequest get = Request("GET", BatchUrl(upstream_id));
  std::string step = "poll batch " + upstream_id;
  Result<http::Response> answer = co_await Call(client_, std::move(step), std::move(get));
  if (!answer.ok()) {
    if (answer.status().code() == StatusCode::kNotFound) {
      co_return UpstreamStatus{UpstreamState::kNotFound, "not_found", "", "", {}};
    }
    co_return answer.status();
  }
  co_return StatusIn(answer->body);
}

asio::awaitable<Status> HttpBatchApi::Cancel(std::string upstream_id) {
  http::ClientRequest cancel = Request("POST", BatchUrl(upstream_id) + "/cancel");
  std::string step = "cancel batch " + upstream_id;
  Result<http::Response> answer = co_await Call(client_, std::move(step), std::move(cancel));
  co_return answer.status();
}

http::ClientRequest HttpBatchApi::Request(std::string method, std::string url) const {
  http::ClientRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  Authorize(request.headers);
  return request;
}

asio::awaitable<Result<UpstreamResults>> HttpBatchApi::FetchAll(std::vector<std::string> urls,
                                                                ResultParser parse) {
  UpstreamResults results;
  for (std::string& url : urls) {
    http::ClientRequest get = Request("GET", url);
    std::string step = "download " + url;
    SLUICE_CO_ASSIGN_OR_RETURN(http::Response content,
                               co_await Call(client_, std::move(step), std::move(get)));
    parse(content.body, results);
  }
  co_return results;
}

providers::Outcome HttpBatchApi::Decode(const http::Response& response) const {
  return provider_.Decode(Result<http::Response>(response));
}

asio::awaitable<Result<http::Response>> Call(http::Client& client, std::string what,
                                             http::ClientRequest request) {
  Result<http::Response> answer = co_await client.Send(std::move(request));
  if (!answer.ok()) {
    co_return Status(answer.status().code(), what + ": " + std::string(answer.status().message()));
  }
  if (answer->status < 200 || answer->status >= 300) co_return UpstreamError(what, *answer);
  co_return answer;
}

Status UpstreamError(std::string_view what, const http::Response& response) {
  std::string message =
      fmt::format("{}: HTTP {}: {}", what, response.status, response.body.substr(0, 300));
  if (response.status == 404) return NotFoundError(std::move(message));
  if (response.status == 429 || response.status >= 500 || response.status == 408) {
    return UnavailableError(std::move(message));
  }
  return FailedPreconditionError(std::move(message));
}

}  // namespace sluice::provider_batch
