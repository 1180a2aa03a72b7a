// BatchesApi's dry run (metadata.sluice_dry_run: "true" on POST /v1/batches): the input file is
// validated and priced in each mode (options.dry_run) and nothing is sent; the batch is saved at
// once as completed with no output files and its figures in sluice.dry_run (failed, with the
// lines' errors, when the file is invalid), so GET /v1/batches/{id} shows it later.
// Threading: as BatchesApi (the io executor; the file is read on the ingest executor).
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/batch_object.h"
#include "api/batches_api.h"
#include "http/offload.h"

namespace sluice::api {
namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<Result<json::object>> BatchesApi::DryRun(batch::BatchRecord record,
                                                         json::object object, Duration window) {
  batch::IngestOptions ingest = IngestOptionsFor(object);
  std::string path = bodies_.PathOf(StringField(object, "input_file_id"));
  auto read = [path, ingest] { return batch::IngestFile(path, ingest, {}); };
  auto report = co_await http::Offload<Result<batch::IngestReport>>(ingest_executor_, io_, read);
  if (!report.ok() && report.status().code() != StatusCode::kNotFound) co_return report.status();
  WallTime now = clock_.WallNow();
  if (!report.ok()) {
    SetErrors(object, {{"file_not_found", "The input file is gone.", "input_file_id", 0, ""}});
    Transition(object, kFailed, now);
  } else if (report->invalid > 0) {
    SetErrors(object, report->errors);
    Transition(object, kFailed, now);
  } else {
    SetRequestCounts(object, report->totals.requests, 0, 0);
    Transition(object, kCompleted, now);
  }
  if (report.ok()) {
    object["sluice"] = json::object{{"dry_run", options_.dry_run(*report, window)}};
  }
  record.status = std::string(StatusOf(object));
  record.data = json::serialize(object);
  store::Store& store = store_;
  auto create = [&store, record] { return store.CreateBatch(record); };
  Status created = co_await http::Offload<Status>(store_executor_, io_, create);
  if (!created.ok()) co_return created;
  spdlog::info("batch {} dry run by {}: {}; nothing was sent", record.id, record.tenant,
               record.status);
  co_return object;
}

}  // namespace sluice::api
