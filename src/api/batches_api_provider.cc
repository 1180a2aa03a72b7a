// BatchesApi's run step: the batch's lines through the dispatcher (real time), or in provider
// mode through the providers' own batch APIs, whose state is kept in the Batch object (key
// provider_batches, hidden from clients) and saved with it.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/batch_mode.h"
#include "api/batch_object.h"
#include "api/batches_api.h"
#include "http/offload.h"
#include "provider_batch/submissions.h"

namespace sluice::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// The provider state kept in the object; empty when there is none (or it is unreadable, which
// is logged: the batch then starts its provider batches afresh).
provider_batch::ProviderBatchState StateOf(const json::object& object, const std::string& id) {
  const json::value* saved = object.if_contains(provider_batch::kStateKey);
  if (saved == nullptr) return {};
  Result<provider_batch::ProviderBatchState> state = provider_batch::StateFromJson(*saved);
  if (state.ok()) return *state;
  spdlog::error("batch {}: its provider batches are unreadable: {}", id, state.status().ToString());
  return {};
}

}  // namespace

void BatchesApi::Stop() {
  stopping_ = true;
  for (auto& [id, batch] : active_) {
    if (batch.provider) batch.provider->Stop();
  }
}

void BatchesApi::CancelRun(Active& batch) {
  if (batch.provider) {
    batch.provider->Cancel();
  } else {
    dispatcher_.CancelBatch(batch.record.id);
  }
}

asio::awaitable<Status> BatchesApi::RunThroughProviders(Active& batch) {
  if (!options_.provider_runner) {
    co_return FailedPreconditionError("this gateway cannot run batches in provider mode");
  }
  batch.provider = options_.provider_runner();
  std::string id = batch.record.id;
  provider_batch::ProviderBatchRunner::RecordOf record_of =
      [this, id](const provider_batch::ProviderBatchState& state) {
        Active& active = active_.at(id);
        active.object[provider_batch::kStateKey] = provider_batch::StateToJson(state);
        batch::BatchRecord record = active.record;
        record.status = std::string(StatusOf(active.object));
        record.data = json::serialize(active.object);
        return record;
      };
  std::shared_ptr<provider_batch::ProviderBatchRunner> runner = batch.provider;
  WallTime deadline(std::chrono::seconds(IntField(batch.object, "expires_at")));
  if (options_.deadline_of) runner->SetDeadline(options_.deadline_of(deadline));
  provider_batch::ProviderBatchState state = StateOf(batch.object, id);
  Status run = co_await runner->Run(id, std::move(state), std::move(record_of));
  batch.provider.reset();
  if (run.code() == StatusCode::kAborted && runner->moved()) {
    ModeDecision decision = ModeDecisionOf(batch.object).value_or(
        ModeDecision{config::BatchMode::kProvider, config::BatchMode::kProvider, {"asked for"},
                     clock_.WallNow(), deadline});
    decision.moved_at = clock_.WallNow();
    decision.moved_reason = *runner->moved();
    SetModeDecision(batch.object, decision);
    spdlog::info("batch {}: {}", id, DescribeModeDecision(decision));
  }
  co_return run;
}

void BatchesApi::DecideMode(Active& batch, const batch::IngestReport& report) {
  config::BatchMode requested = ModeOf(batch.object);
  WallTime now = clock_.WallNow();
  WallTime deadline(std::chrono::seconds(IntField(batch.object, "expires_at")));
  // Weighed against its whole completion window, as the provider's batch API would get it: the
  // seconds spent validating do not make a 24h batch "shorter than the provider's window".
  WallTime created(std::chrono::seconds(IntField(batch.object, "created_at")));
  ModeDecision decision;
  if (options_.decide_mode) {
    decision = options_.decide_mode(report, requested,
                                    std::chrono::duration_cast<Duration>(deadline - created));
  } else {
    bool provider = requested == config::BatchMode::kProvider;
    decision = {requested, provider ? config::BatchMode::kProvider : config::BatchMode::kRealtime,
                {provider ? "asked for" : "this gateway does not weigh the modes"}, now, deadline};
  }
  decision.deadline = deadline;
  SetModeDecision(batch.object, decision);
  spdlog::info("batch {}: {}", batch.record.id, DescribeModeDecision(decision));
}

}  // namespace sluice::api
