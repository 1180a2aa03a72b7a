#include "providers/openai_stream_decoder.h"

#include <simdjson.h>

namespace sluice::providers {
namespace {

// True when the event's JSON has a `usage` object (not null, as every chunk but the last has).
bool HasUsageObject(std::string_view data) {
  if (data.find("\"usage\"") == std::string_view::npos) return false;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(data.data(), data.size()).get(root) != simdjson::SUCCESS) return false;
  simdjson::dom::object usage;
  return root["usage"].get(usage) == simdjson::SUCCESS;
}

}  // namespace

OpenAiStreamDecoder::OpenAiStreamDecoder(int status, const http::Headers& headers) {
  outcome_.verdict = Verdict::kSuccess;
  outcome_.status_code = status;
  outcome_.request_id = std::string(headers.Get("x-request-id").value_or(""));
  outcome_.hints = ParseOpenAiLimitHints(headers);
}

std::string OpenAiStreamDecoder::Feed(std::string_view piece) {
  for (const http::SseEvent& event : events_.Feed(piece)) {
    if (HasUsageObject(event.data)) ReadUsage(event.data, outcome_.usage);
  }
  return std::string(piece);
}

Outcome OpenAiStreamDecoder::Finish(const Status& ended) {
  Outcome outcome = outcome_;
  if (!ended.ok()) {
    outcome.verdict = Verdict::kFail;
    outcome.status = ended;
  }
  return outcome;
}

}  // namespace sluice::providers
