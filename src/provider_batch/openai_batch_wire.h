// The wire of OpenAI's Files + Batches API as provider mode speaks it: the input file's JSONL,
// the multipart upload, the Batch object, a page of batches, and the output and error files'
// lines (WIRE.md §1-2). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "provider_batch/batch_api.h"

namespace sluice::provider_batch {

// One {"custom_id","method":"POST","url","body"} line per request, each ending in "\n".
std::string OpenAiInputFile(const std::vector<UpstreamRequest>& requests);

// A multipart/form-data body with purpose=batch and `content` as the file "batch.jsonl".
std::string OpenAiUploadBody(std::string_view boundary, std::string_view content);

// The Batch object's id and what its status means for provider mode. kInvalidArgument when the
// body is not a Batch object.
struct OpenAiBatch {
  std::string id;
  UpstreamStatus status;
};
Result<OpenAiBatch> ParseOpenAiBatch(std::string_view body);

// In a page of GET /v1/batches: the batch whose metadata.sluice_submission is `submission_id`,
// and the cursor of the next page when there is one.
struct OpenAiBatchPage {
  std::optional<std::string> found;
  std::optional<std::string> next_after;
};
Result<OpenAiBatchPage> FindInOpenAiBatchPage(std::string_view body,
                                              std::string_view submission_id);

// Adds the lines of an output or error file to `results` (a line that does not parse counts in
// `malformed`).
void ParseOpenAiResultFile(std::string_view jsonl, UpstreamResults& results);

}  // namespace sluice::provider_batch
