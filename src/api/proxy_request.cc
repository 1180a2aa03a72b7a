#include "api/proxy_request.h"

#include "http/sse.h"

namespace sluice::api {
namespace {

class OpenAiRequest final : public ProxyRequest {
 public:
  OpenAiRequest(std::string endpoint, std::string body)
      : endpoint_(std::move(endpoint)), body_(std::move(body)) {}

  providers::Encoded Encode(const providers::Provider& provider) const override {
    return provider.Encode(endpoint_, body_);
  }
  providers::Outcome Decode(const providers::Provider& provider,
                            const Result<http::Response>& answer) const override {
    return provider.Decode(answer);
  }
  std::unique_ptr<providers::StreamDecoder> DecodeStream(
      const providers::Provider& provider, int status,
      const http::Headers& headers) const override {
    return provider.DecodeStream(status, headers, body_);
  }
  // Anthropic's 529 (overloaded) is no status OpenAI's clients know; 503 is retried the same.
  int ClientStatus(int upstream_status) const override {
    return upstream_status == 529 ? 503 : upstream_status;
  }
  // As OpenAI's SDKs expect a failure mid-stream: a data event with an error object.
  std::string StreamError(std::string_view message) const override {
    return http::FormatSseData(
        http::ErrorBody({502, "server_error", std::string(message), std::nullopt, std::nullopt}));
  }

 private:
  std::string endpoint_;
  std::string body_;
};

}  // namespace

std::unique_ptr<ProxyRequest> MakeOpenAiRequest(std::string endpoint, std::string body) {
  return std::make_unique<OpenAiRequest>(std::move(endpoint), std::move(body));
}

}  // namespace sluice::api
