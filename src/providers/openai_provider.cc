// The OpenAI (and OpenAI-compatible) adapter: Bearer auth, the deployment's model name swapped
// into the body, usage and rate-limit hints read back.
#include <simdjson.h>

#include <boost/json.hpp>

#include "providers/openai_stream_decoder.h"
#include "providers/provider.h"

namespace sluice::providers {
namespace {

std::int64_t IntAt(simdjson::dom::element parent, std::string_view pointer) {
  std::int64_t value = 0;
  if (parent.at_pointer(pointer).get_int64().get(value) != simdjson::SUCCESS) return 0;
  return value;
}

class OpenAiProvider final : public Provider {
 public:
  explicit OpenAiProvider(Upstream upstream) : upstream_(std::move(upstream)) {
    while (!upstream_.base_url.empty() && upstream_.base_url.back() == '/') {
      upstream_.base_url.pop_back();
    }
  }

  Encoded Encode(std::string_view endpoint_url, std::string_view body) const override {
    http::ClientRequest request;
    request.method = "POST";
    // base_url ends in /v1 by convention; endpoint urls start with /v1.
    std::string_view path = endpoint_url;
    if (upstream_.base_url.ends_with("/v1") && path.starts_with("/v1/")) path.remove_prefix(3);
    request.url = upstream_.base_url + std::string(path);
    request.headers.Set("content-type", "application/json");
    if (!upstream_.api_key.empty()) {
      request.headers.Set("authorization", "Bearer " + upstream_.api_key);
    }
    request.body = WithModel(body);
    return request;
  }

  Outcome Decode(const Result<http::Response>& answer) const override {
    if (!answer.ok()) return UnansweredOutcome(answer.status());
    Outcome outcome =
        AnsweredOutcome(*answer, ParseOpenAiLimitHints(*answer), upstream_.name, "x-request-id");
    if (outcome.verdict == Verdict::kSuccess && !ReadUsage(answer->body, outcome.usage)) {
      // A 200 whose body is not JSON: the answer was damaged on the way; ask again.
      outcome.verdict = Verdict::kRetry;
      outcome.status = UnavailableError("upstream answered 200 with a body that is not JSON");
    }
    return outcome;
  }

  std::unique_ptr<StreamDecoder> DecodeStream(int status, const http::Headers& headers,
                                              std::string_view /*request_body*/) const override {
    return std::make_unique<OpenAiStreamDecoder>(status, headers);
  }

 private:
  // The body with "model" set to the deployment's model name (unchanged when it already is).
  std::string WithModel(std::string_view body) const {
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(body, ec);
    if (ec || !parsed.is_object()) return std::string(body);
    boost::json::object& object = parsed.as_object();
    auto* model = object.if_contains("model");
    if (model != nullptr && model->is_string() && model->as_string() == upstream_.model) {
      return std::string(body);
    }
    object["model"] = upstream_.model;
    return boost::json::serialize(object);
  }

  Upstream upstream_;
};

}  // namespace

bool ReadUsage(std::string_view body, batch::Usage& usage) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return false;
  }
  usage.prompt_tokens = IntAt(root, "/usage/prompt_tokens");
  usage.completion_tokens = IntAt(root, "/usage/completion_tokens");
  usage.total_tokens = IntAt(root, "/usage/total_tokens");
  usage.cached_tokens = IntAt(root, "/usage/prompt_tokens_details/cached_tokens");
  usage.reasoning_tokens = IntAt(root, "/usage/completion_tokens_details/reasoning_tokens");
  return true;
}

std::unique_ptr<Provider> MakeOpenAiProvider(Upstream upstream) {
  return std::make_unique<OpenAiProvider>(std::move(upstream));
}

}  // namespace sluice::providers
