#include "batch/ingest.h"

#include "batch/line_reader.h"

namespace sluice::batch {
namespace {

Status Flush(const IngestSinks& sinks, std::vector<NewItem>& chunk) {
  if (chunk.empty() || !sinks.items) return OkStatus();
  Status status = sinks.items(std::move(chunk));
  chunk.clear();
  return status;
}

}  // namespace

Result<IngestReport> IngestFile(const std::string& path, const IngestOptions& options,
                                const IngestSinks& sinks) {
  SLUICE_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, options.max_line_bytes));
  RequestLineParser parser(options.rules);
  IngestReport report;
  DuplicateFinder duplicates(options.dedup);
  std::vector<NewItem> chunk;
  while (true) {
    Result<std::optional<Line>> next = reader->Next();
    if (!next.ok()) return next.status().WithContext("cannot read " + path);
    std::optional<Line>& line = *next;
    if (!line) break;
    if (!line->oversized && IsBlankLine(line->text)) continue;
    auto parsed = parser.Parse(*line);
    if (auto* error = std::get_if<LineError>(&parsed)) {
      ++report.invalid;
      if (report.errors.size() < options.max_kept_errors) report.errors.push_back(*error);
      if (sinks.errors) SLUICE_RETURN_IF_ERROR(sinks.errors(*error));
      continue;
    }
    RequestLine& request = std::get<RequestLine>(parsed);
    auto estimate =
        tokens::EstimateRequest(EndpointUrl(request.endpoint), request.body, options.estimate);
    tokens::RequestEstimate e = estimate.ok() ? *estimate : tokens::RequestEstimate{};
    for (RequestTotals* totals : {&report.totals, &report.by_model[request.model]}) {
      ++totals->requests;
      totals->prompt_tokens += e.prompt_tokens;
      totals->max_output_tokens += e.max_output_tokens;
      totals->exact_prompts += e.exact ? 1 : 0;
    }
    std::int64_t index = line->number - 1;
    std::optional<std::int64_t> original =
        duplicates.Check(index, request.endpoint, request.model, request.body);
    if (original) ++report.duplicates;
    if (!sinks.items) continue;
    chunk.push_back(NewItem{index, std::move(request.custom_id), std::move(request.model),
                            std::string(EndpointUrl(request.endpoint)), std::move(request.body),
                            e.total(), original});
    if (chunk.size() >= options.chunk_items) SLUICE_RETURN_IF_ERROR(Flush(sinks, chunk));
  }
  SLUICE_RETURN_IF_ERROR(Flush(sinks, chunk));
  return report;
}

}  // namespace sluice::batch
