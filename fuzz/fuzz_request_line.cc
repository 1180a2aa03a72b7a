// Fuzzes the batch input line validator: each input is a small JSONL file whose non-blank lines
// go through one RequestLineParser (so duplicate custom_ids are exercised too). Checks the
// parser's contract: a valid line has a custom_id, a model and a body that is itself JSON.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "batch/request_line.h"

using sluice::batch::LineError;
using sluice::batch::RequestLine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  sluice::batch::LineRules rules;
  // The first byte picks the rules, so the url_mismatch and model_not_found paths run too.
  if (!input.empty()) {
    unsigned char pick = static_cast<unsigned char>(input.front());
    if (pick & 1) rules.endpoint = sluice::batch::Endpoint::kChatCompletions;
    if (pick & 2) rules.model_known = [](std::string_view model) { return model.size() < 8; };
  }
  sluice::batch::RequestLineParser parser(std::move(rules));
  simdjson::dom::parser check;
  std::int64_t number = 0;
  while (!input.empty()) {
    std::size_t end = input.find('\n');
    std::string_view text = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    ++number;
    if (sluice::batch::IsBlankLine(text)) continue;
    sluice::batch::Line line{number, text, text.size(), false};
    auto parsed = parser.Parse(line);
    if (auto* request = std::get_if<RequestLine>(&parsed)) {
      if (request->line != number || request->custom_id.empty()) std::abort();
      simdjson::dom::element body;
      if (check.parse(request->body).get(body) != simdjson::SUCCESS || !body.is_object()) {
        std::abort();
      }
    } else {
      const auto& error = std::get<LineError>(parsed);
      if (error.line != number || error.code.empty() || error.message.empty()) std::abort();
    }
  }
  return 0;
}
