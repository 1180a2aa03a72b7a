// WriteOutputFiles: streams a batch's results, in input order, into OpenAI's output file (and an
// error file when one is named; otherwise failures go to the output file, as OpenAI's do). Each
// file is written beside its target and renamed into place only when complete, so an interrupted
// write never leaves a half file under the real name. Blocking; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "batch/records.h"
#include "common/result.h"

namespace sluice::batch {

// Reads up to `limit` results with index > after, in index order (the store's ReadResults).
using ResultPager =
    std::function<Result<std::vector<ResultRecord>>(std::int64_t after, std::size_t limit)>;

using OutputCounts = ResultTally;  // over every result written

Result<OutputCounts> WriteOutputFiles(const ResultPager& pager, const std::string& batch_id,
                                      const std::string& output_path,
                                      const std::optional<std::string>& errors_path);

}  // namespace sluice::batch
