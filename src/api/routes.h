// Routes: the table of sluice's HTTP API — which method and path template is which endpoint —
// and the matching of a request against it. A path no route knows answers 404 "Invalid URL"; a
// known path with another method 405 with an Allow header, both in OpenAI's error shape.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "http/message.h"

namespace sluice::api {

enum class Endpoint {
  kHealthz,
  kReadyz,
  kMetrics,
  kListModels,
  kGetModel,
  kChatCompletions,
  kCompletions,
  kEmbeddings,
  kMessages,  // Anthropic's Messages API
  kUploadFile,
  kListFiles,
  kGetFile,
  kDeleteFile,
  kFileContent,
  kCreateBatch,
  kListBatches,
  kGetBatch,
  kCancelBatch,
  kBatchEvents,
  kSetBatchBudget,  // sluice's own: a batch's cost cap
  kUi,              // the dashboard's page
  kUiFile,          // its static files
  kUiLogin,
  kUiLogout,
};

struct Route {
  Endpoint endpoint;
  std::string_view name;  // the path template, e.g. "/v1/files/{id}" (a metrics label)
  std::string id;         // the {id} of the path, when it has one
  bool authenticated;     // false for health, metrics and /ui (which checks keys itself)
};

// The route of `request`, or the 404/405 response for it.
std::variant<Route, http::Response> MatchRoute(const http::Request& request);

// 404 {"error":{"message":"Invalid URL (GET /x)",...}}.
http::Response InvalidUrl(const http::Request& request);

// True for the paths of Anthropic's API (/v1/messages and below), whose answers — errors too —
// are in Anthropic's shape.
bool IsAnthropicPath(std::string_view path);

}  // namespace sluice::api
