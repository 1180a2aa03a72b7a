// The OpenAI models endpoints over the configured model names: GET /v1/models (a list object)
// and GET /v1/models/{id}. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "http/message.h"

namespace sluice::api {

// 200 {"object":"list","data":[{"id","object":"model","created","owned_by":"sluice"}, ...]} in
// the order of `names`; `created` (Unix seconds) is the same for every model.
http::Response ListModelsResponse(const std::vector<std::string>& names, WallTime created);

// 200 with the one model object for `id` if it is in `names`, else 404 in OpenAI's error shape
// with code "model_not_found".
http::Response RetrieveModelResponse(const std::vector<std::string>& names, std::string_view id,
                                     WallTime created);

}  // namespace sluice::api
