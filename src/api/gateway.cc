#include "api/gateway.h"

#include <boost/asio/use_awaitable.hpp>

#include "api/anthropic_errors.h"
#include "api/batch_events.h"
#include "api/errors.h"
#include "api/health.h"
#include "api/metrics_response.h"
#include "api/models.h"
#include "api/ui.h"
#include "common/ids.h"

namespace sluice::api {
namespace asio = boost::asio;

namespace {

// Forwards to the server's exchange, gives every answer an x-request-id (the SDKs' request_id)
// and the gateway's own request id (x-sluice-request-id: the client's, or one made for it, as
// the logs name it) and notes the status sent, for the metrics. On Anthropic's paths every answer
// is put in Anthropic's shape (request-id, error envelope), whichever part of the gateway gave it.
class RecordingExchange final : public http::Exchange {
 public:
  RecordingExchange(http::Exchange& inner, std::string request_id)
      : inner_(inner),
        request_id_(std::move(request_id)),
        anthropic_(IsAnthropicPath(inner.request().Path())) {}
  const http::Request& request() const override { return inner_.request(); }
  asio::awaitable<Result<std::string_view>> ReadBody() override { return inner_.ReadBody(); }
  asio::awaitable<Status> Respond(http::Response response) override {
    status_ = response.status;
    response.headers.Set("x-sluice-request-id", request_id_);
    if (anthropic_) response = InAnthropicShape(std::move(response));
    return inner_.Respond(WithRequestId(std::move(response)));
  }
  asio::awaitable<Status> BeginStream(int status, http::Headers headers) override {
    status_ = status;
    if (!headers.Get("x-request-id")) headers.Set("x-request-id", NewId("req_"));
    headers.Set("x-sluice-request-id", request_id_);
    if (anthropic_) SetAnthropicRequestIds(headers);
    return inner_.BeginStream(status, std::move(headers));
  }
  bool anthropic() const { return anthropic_; }
  asio::awaitable<Status> WriteChunk(std::string_view data) override {
    return inner_.WriteChunk(data);
  }
  asio::awaitable<Status> EndStream() override { return inner_.EndStream(); }
  void Reset() override { inner_.Reset(); }
  bool draining() const override { return inner_.draining(); }
  int status() const { return status_; }

 private:
  http::Exchange& inner_;
  std::string request_id_;
  bool anthropic_;
  int status_ = 0;
};

}  // namespace

asio::awaitable<void> Gateway::Handle(http::Exchange& server_exchange) {
  const http::Request& request = server_exchange.request();
  http::RequestTrace trace = http::TraceOfRequest(request.headers);
  RecordingExchange exchange(server_exchange, trace.request_id);
  auto matched = MatchRoute(request);
  std::string_view route_name = "unmatched";
  Caller caller;
  if (auto* refused = std::get_if<http::Response>(&matched)) {
    http::Response response = std::move(*refused);
    co_await exchange.Respond(std::move(response));
  } else {
    const Route& route = std::get<Route>(matched);
    route_name = route.name;
    std::optional<http::Response> denied;
    if (route.authenticated && exchange.anthropic()) {
      auto identified = parts_.auth.Identify(request);
      if (auto* rejection = std::get_if<Authenticator::Rejection>(&identified)) {
        denied = AnthropicUnauthorized(*rejection == Authenticator::Rejection::kUnknownKey);
      } else {
        caller = std::get<Caller>(std::move(identified));
      }
    } else if (route.authenticated) {
      auto authenticated = parts_.auth.Authenticate(request);
      if (auto* response = std::get_if<http::Response>(&authenticated)) {
        denied = std::move(*response);
      } else {
        caller = std::get<Caller>(std::move(authenticated));
      }
    }
    if (denied) {
      co_await exchange.Respond(std::move(*denied));
    } else {
      co_await Serve(exchange, route, caller, trace);
    }
  }
  parts_.metrics.CountHttpRequest({request.method, route_name, exchange.status(), caller.tenant});
}

asio::awaitable<void> Gateway::Serve(http::Exchange& exchange, const Route& route,
                                     const Caller& caller, const http::RequestTrace& trace) {
  const http::Request& request = exchange.request();
  const std::string& tenant = caller.tenant;
  Scope scope = caller.scope();
  std::string id = route.id;
  http::Response response;
  switch (route.endpoint) {
    case Endpoint::kHealthz:
      response = HealthzResponse();
      break;
    case Endpoint::kReadyz: {
      if (auto trouble = StoreTrouble()) {
        response = NotReadyResponse(*trouble);
        break;
      }
      bool ready = ready_.load(std::memory_order_relaxed);
      if (ready && parts_.probe_store) ready = (co_await parts_.probe_store()).ok();
      response = ReadyzResponse(ready);
      break;
    }
    case Endpoint::kMetrics:
      if (parts_.refresh_metrics) parts_.refresh_metrics();
      response = MetricsResponse(parts_.metrics);
      break;
    case Endpoint::kListModels:
      response = ListModelsResponse(parts_.model_names, parts_.created);
      break;
    case Endpoint::kGetModel:
      response = RetrieveModelResponse(parts_.model_names, id, parts_.created);
      break;
    case Endpoint::kChatCompletions:
    case Endpoint::kCompletions:
    case Endpoint::kEmbeddings:
    case Endpoint::kMessages:
      if (auto trouble = StoreTrouble()) {
        response = http::ErrorResponse({503, "server_error", *trouble, "store_unavailable", {}});
        response.headers.Set("retry-after", "1");
        break;
      }
      if (route.endpoint == Endpoint::kMessages) {
        co_await parts_.proxy.HandleMessages(exchange, tenant, trace);
      } else {
        co_await parts_.proxy.Handle(exchange, tenant, trace);
      }
      co_return;
    case Endpoint::kUploadFile:
      co_await parts_.files.Upload(exchange, tenant);
      co_return;
    case Endpoint::kFileContent:
      co_await parts_.files.Content(exchange, id, scope);
      co_return;
    case Endpoint::kListFiles:
      response = co_await parts_.files.List(request, tenant);
      break;
    case Endpoint::kGetFile:
      response = co_await parts_.files.Get(id, scope);
      break;
    case Endpoint::kDeleteFile:
      response = co_await parts_.files.Delete(id, scope);
      break;
    case Endpoint::kCreateBatch:
      response = co_await parts_.batches.Create(request, tenant);
      break;
    case Endpoint::kListBatches:
      response = co_await parts_.batches.List(request, scope);
      break;
    case Endpoint::kGetBatch:
      response = co_await parts_.batches.Get(id, scope);
      break;
    case Endpoint::kCancelBatch:
      response = co_await parts_.batches.Cancel(id, scope);
      break;
    case Endpoint::kSetBatchBudget:
      response = co_await parts_.batches.SetBudget(id, request, scope);
      break;
    case Endpoint::kBatchEvents:
      co_await StreamBatchEvents(exchange, parts_.batches, parts_.batches.clock(), id,
                                scope);
      co_return;
    case Endpoint::kUi:
      response = UiPage(request, parts_.auth);
      break;
    case Endpoint::kUiFile:
      response = UiFile(id);
      break;
    case Endpoint::kUiLogin:
      response = UiLogin(request, parts_.auth);
      break;
    case Endpoint::kUiLogout:
      response = UiLogout();
      break;
  }
  co_await exchange.Respond(std::move(response));
}

}  // namespace sluice::api
