// Formats results as lines of OpenAI's batch output and error files (BatchRequestOutput):
// {"id","custom_id","response":{"status_code","request_id","body"}|null,"error":{"code","message"}|null}.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "batch/records.h"

namespace sluice::batch {

// One line, without the trailing newline. The response body is re-serialised compactly (no
// whitespace outside strings; key order and numbers as the upstream sent them), so an indented
// answer still makes exactly one line. A result with an error_code, or no response, is an error
// line ("response": null). A body that is not JSON is never embedded: the line is an error
// "upstream_invalid_response" that names the status and quotes the body's start. The line id is
// stable: the same batch and index always give the same "batch_req_…" id. A result a fallback
// model gave carries that model's name as "fallback_model" (after "custom_id"), a sluice
// extension.
std::string FormatResultLine(const ResultRecord& result, std::string_view batch_id);

// The stable id of the output line of input line `index` in `batch_id` ("batch_req_…"); every
// upstream attempt of the line carries it as its x-client-request-id.
std::string ResultLineId(std::string_view batch_id, std::int64_t index);

}  // namespace sluice::batch
