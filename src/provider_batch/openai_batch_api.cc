// OpenAiBatchApi: BatchApi over OpenAI's Files + Batches API — upload the input file, create the
// batch with metadata.sluice_submission, poll it, download its output and error files.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "provider_batch/batch_api.h"
#include "provider_batch/openai_batch_wire.h"

namespace sluice::provider_batch {
namespace asio = boost::asio;
namespace {

constexpr std::string_view kBoundary = "sluice-provider-batch-7f3a9c";

class OpenAiBatchApi : public BatchApi {
 public:
  OpenAiBatchApi(http::Client& client, std::string base_url, std::string api_key,
                 const providers::Provider& provider)
      : client_(client),
        base_url_(std::move(base_url)),
        api_key_(std::move(api_key)),
        provider_(provider) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  }

  asio::awaitable<Result<std::string>> Submit(std::string submission_id,
                                              std::vector<UpstreamRequest> requests) override {
    http::ClientRequest upload = Request("POST", "/files");
    upload.headers.Set("content-type", fmt::format("multipart/form-data; boundary={}", kBoundary));
    upload.body = OpenAiUploadBody(kBoundary, OpenAiInputFile(requests));
    std::string upload_step = "upload";
    SLUICE_CO_ASSIGN_OR_RETURN(http::Response uploaded,
                               co_await Call(client_, std::move(upload_step), std::move(upload)));
    boost::system::error_code ec;
    boost::json::value file = boost::json::parse(uploaded.body, ec);
    const boost::json::value* id =
        !ec && file.is_object() ? file.as_object().if_contains("id") : nullptr;
    if (!id || !id->is_string()) {
      co_return UnavailableError("upload: the provider's answer is not a File object");
    }
    http::ClientRequest create = Request("POST", "/batches");
    create.headers.Set("content-type", "application/json");
    create.body = boost::json::serialize(boost::json::object{
        {"input_file_id", id->as_string()},
        {"endpoint", requests.empty() ? std::string("/v1/chat/completions") : requests[0].endpoint},
        {"completion_window", "24h"},
        {"metadata", {{"sluice_submission", submission_id}}}});
    std::string create_step = "create batch";
    SLUICE_CO_ASSIGN_OR_RETURN(http::Response created,
                               co_await Call(client_, std::move(create_step), std::move(create)));
    Result<OpenAiBatch> batch = ParseOpenAiBatch(created.body);
    // Perhaps created: the next poll looks for it by its metadata.
    if (!batch.ok()) co_return UnavailableError("create batch: " + batch.status().message());
    co_return batch->id;
  }

  asio::awaitable<Result<std::optional<std::string>>> Find(std::string submission_id,
                                                           FindHint) override {
    std::string after;
    for (int page = 0; page < 50; ++page) {
      http::ClientRequest list =
          Request("GET", "/batches?limit=100" + (after.empty() ? "" : "&after=" + after));
      std::string list_step = "list batches";
      SLUICE_CO_ASSIGN_OR_RETURN(http::Response answer,
                                 co_await Call(client_, std::move(list_step), std::move(list)));
      SLUICE_CO_ASSIGN_OR_RETURN(OpenAiBatchPage found,
                                 FindInOpenAiBatchPage(answer.body, submission_id));
      if (found.found) co_return found.found;
      if (!found.next_after) break;
      after = *found.next_after;
    }
    co_return std::optional<std::string>();
  }

  asio::awaitable<Result<UpstreamStatus>> Poll(std::string upstream_id) override {
    http::ClientRequest get = Request("GET", "/batches/" + upstream_id);
    std::string poll_step = "poll batch " + upstream_id;
    Result<http::Response> answer = co_await Call(client_, std::move(poll_step), std::move(get));
    if (!answer.ok()) {
      if (answer.status().code() == StatusCode::kNotFound) {
        co_return UpstreamStatus{UpstreamState::kNotFound, "not_found", "", "", {}};
      }
      co_return answer.status();
    }
    SLUICE_CO_ASSIGN_OR_RETURN(OpenAiBatch batch, ParseOpenAiBatch(answer->body));
    co_return batch.status;
  }

  asio::awaitable<Result<UpstreamResults>> Fetch(UpstreamStatus ended) override {
    UpstreamResults results;
    for (const std::string& file_id : ended.result_locations) {
      http::ClientRequest get = Request("GET", "/files/" + file_id + "/content");
      std::string download_step = "download " + file_id;
      SLUICE_CO_ASSIGN_OR_RETURN(http::Response content,
                                 co_await Call(client_, std::move(download_step), std::move(get)));
      ParseOpenAiResultFile(content.body, results);
    }
    co_return results;
  }

  asio::awaitable<Status> Cancel(std::string upstream_id) override {
    http::ClientRequest cancel = Request("POST", "/batches/" + upstream_id + "/cancel");
    std::string cancel_step = "cancel batch " + upstream_id;
    Result<http::Response> answer =
        co_await Call(client_, std::move(cancel_step), std::move(cancel));
    co_return answer.status();
  }

  providers::Outcome Decode(const http::Response& response) const override {
    return provider_.Decode(Result<http::Response>(response));
  }

 private:
  http::ClientRequest Request(std::string method, std::string path) const {
    http::ClientRequest request;
    request.method = std::move(method);
    request.url = base_url_ + path;
    request.headers.Set("authorization", "Bearer " + api_key_);
    return request;
  }

  http::Client& client_;
  std::string base_url_;
  std::string api_key_;
  const providers::Provider& provider_;
};

}  // namespace

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

std::unique_ptr<BatchApi> MakeOpenAiBatchApi(http::Client& client, std::string base_url,
                                             std::string api_key,
                                             const providers::Provider& provider) {
  return std::make_unique<OpenAiBatchApi>(client, std::move(base_url), std::move(api_key),
                                          provider);
}

}  // namespace sluice::provider_batch
