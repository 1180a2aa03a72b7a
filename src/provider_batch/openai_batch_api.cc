// OpenAiBatchApi: BatchApi over OpenAI's Files + Batches API — upload the input file, create the
// batch with metadata.sluice_submission, poll it, download its output and error files.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "provider_batch/http_batch_api.h"
#include "provider_batch/openai_batch_wire.h"

namespace sluice::provider_batch {
namespace asio = boost::asio;
namespace {

constexpr std::string_view kBoundary = "sluice-provider-batch-7f3a9c";

class OpenAiBatchApi : public HttpBatchApi {
 public:
  OpenAiBatchApi(http::Client& client, std::string base_url, std::string api_key,
                 const providers::Provider& provider)
      : HttpBatchApi(client, std::move(base_url), provider), api_key_(std::move(api_key)) {}

  asio::awaitable<Result<std::string>> Submit(std::string submission_id,
                                              std::vector<UpstreamRequest> requests) override {
    http::ClientRequest upload = Request("POST", base_url_ + "/files");
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
    http::ClientRequest create = Request("POST", base_url_ + "/batches");
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
      http::ClientRequest list = Request(
          "GET", base_url_ + "/batches?limit=100" + (after.empty() ? "" : "&after=" + after));
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

  asio::awaitable<Result<UpstreamResults>> Fetch(UpstreamStatus ended) override {
    std::vector<std::string> urls;
    for (const std::string& file_id : ended.result_locations) {
      urls.push_back(base_url_ + "/files/" + file_id + "/content");
    }
    co_return co_await FetchAll(std::move(urls), &ParseOpenAiResultFile);
  }

 private:
  void Authorize(http::Headers& headers) const override {
    headers.Set("authorization", "Bearer " + api_key_);
  }

  std::string BatchUrl(const std::string& id) const override {
    return base_url_ + "/batches/" + id;
  }

  Result<UpstreamStatus> StatusIn(std::string_view body) const override {
    SLUICE_ASSIGN_OR_RETURN(OpenAiBatch batch, ParseOpenAiBatch(body));
    return batch.status;
  }

  std::string api_key_;
};

}  // namespace

std::unique_ptr<BatchApi> MakeOpenAiBatchApi(http::Client& client, std::string base_url,
                                             std::string api_key,
                                             const providers::Provider& provider) {
  return std::make_unique<OpenAiBatchApi>(client, std::move(base_url), std::move(api_key),
                                          provider);
}

}  // namespace sluice::provider_batch
