// Formats results as lines of OpenAI's batch output and error files (BatchRequestOutput):
// {"id","custom_id","response":{"status_code","request_id","body"}|null,"error":{"code","message"}|null}.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "batch/records.h"

namespace sluice::batch {

// One line, without the trailing newline. A response body that is not valid JSON is embedded as
// a JSON string rather than breaking the line. The line id is stable: the same batch and index
// always give the same "batch_req_…" id.
std::string FormatResultLine(const ResultRecord& result, std::string_view batch_id);

}  // namespace sluice::batch
