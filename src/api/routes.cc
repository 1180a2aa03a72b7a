#include "api/routes.h"

#include <array>
#include <optional>

namespace sluice::api {
namespace {

struct Entry {
  std::string_view method;
  std::string_view name;
  Endpoint endpoint;
  bool authenticated = true;
};

constexpr std::array kTable{
    Entry{"GET", "/healthz", Endpoint::kHealthz, false},
    Entry{"GET", "/readyz", Endpoint::kReadyz, false},
    Entry{"GET", "/metrics", Endpoint::kMetrics, false},
    Entry{"GET", "/v1/models", Endpoint::kListModels},
    Entry{"GET", "/v1/models/{id}", Endpoint::kGetModel},
    Entry{"POST", "/v1/chat/completions", Endpoint::kChatCompletions},
    Entry{"POST", "/v1/completions", Endpoint::kCompletions},
    Entry{"POST", "/v1/embeddings", Endpoint::kEmbeddings},
    Entry{"POST", "/v1/messages", Endpoint::kMessages},
    Entry{"POST", "/v1/files", Endpoint::kUploadFile},
    Entry{"GET", "/v1/files", Endpoint::kListFiles},
    Entry{"GET", "/v1/files/{id}", Endpoint::kGetFile},
    Entry{"DELETE", "/v1/files/{id}", Endpoint::kDeleteFile},
    Entry{"GET", "/v1/files/{id}/content", Endpoint::kFileContent},
    Entry{"POST", "/v1/batches", Endpoint::kCreateBatch},
    Entry{"GET", "/v1/batches", Endpoint::kListBatches},
    Entry{"GET", "/v1/batches/{id}", Endpoint::kGetBatch},
    Entry{"POST", "/v1/batches/{id}/cancel", Endpoint::kCancelBatch},
    Entry{"GET", "/v1/batches/{id}/events", Endpoint::kBatchEvents},
    Entry{"POST", "/v1/batches/{id}/budget", Endpoint::kSetBatchBudget},
    Entry{"GET", "/ui", Endpoint::kUi, false},
    Entry{"GET", "/ui/", Endpoint::kUi, false},
    Entry{"POST", "/ui/login", Endpoint::kUiLogin, false},
    Entry{"POST", "/ui/logout", Endpoint::kUiLogout, false},
    Entry{"GET", "/ui/{id}", Endpoint::kUiFile, false},
};

// The {id} in `path` when it fits `name`; nullopt when it does not fit.
std::optional<std::string> Fit(std::string_view name, std::string_view path) {
  std::size_t hole = name.find("{id}");
  if (hole == std::string_view::npos) {
    return name == path ? std::optional<std::string>("") : std::nullopt;
  }
  std::string_view before = name.substr(0, hole);
  std::string_view after = name.substr(hole + 4);
  if (path.size() <= before.size() + after.size() || !path.starts_with(before) ||
      !path.ends_with(after)) {
    return std::nullopt;
  }
  std::string_view id = path.substr(before.size(), path.size() - before.size() - after.size());
  if (id.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(id);
}

http::Response MethodNotAllowed(const http::Request& request, const std::string& allow) {
  http::ApiError error;
  error.status = 405;
  error.type = "invalid_request_error";
  error.message = "Method " + request.method + " is not allowed for " +
                  std::string(request.Path()) + "; use " + allow;
  http::Response response = http::ErrorResponse(error);
  response.headers.Set("allow", allow);
  return response;
}

}  // namespace

http::Response InvalidUrl(const http::Request& request) {
  http::ApiError error;
  error.status = 404;
  error.type = "invalid_request_error";
  error.message = "Invalid URL (" + request.method + " " + std::string(request.Path()) + ")";
  return http::ErrorResponse(error);
}

bool IsAnthropicPath(std::string_view path) {
  constexpr std::string_view kMessages = "/v1/messages";
  return path.starts_with(kMessages) &&
         (path.size() == kMessages.size() || path[kMessages.size()] == '/');
}

std::variant<Route, http::Response> MatchRoute(const http::Request& request) {
  std::string_view path = request.Path();
  std::string allow;
  for (const Entry& entry : kTable) {
    std::optional<std::string> id = Fit(entry.name, path);
    if (!id) continue;
    if (entry.method == request.method) {
      return Route{entry.endpoint, entry.name, std::move(*id), entry.authenticated};
    }
    if (!allow.empty()) allow += ", ";
    allow += entry.method;
  }
  if (allow.empty()) return InvalidUrl(request);
  return MethodNotAllowed(request, allow);
}

}  // namespace sluice::api
