#include "api/models.h"

#include <boost/json.hpp>
#include <chrono>

namespace sluice::api {
namespace {

boost::json::object ModelObject(std::string_view id, WallTime created) {
  boost::json::object model;
  model["id"] = id;
  model["object"] = "model";
  model["created"] =
      std::chrono::duration_cast<std::chrono::seconds>(created.time_since_epoch()).count();
  model["owned_by"] = "sluice";
  return model;
}

}  // namespace

http::Response ListModelsResponse(const std::vector<std::string>& names, WallTime created) {
  boost::json::array data;
  for (const std::string& name : names) data.push_back(ModelObject(name, created));
  boost::json::object list;
  list["object"] = "list";
  list["data"] = std::move(data);
  return http::JsonResponse(200, boost::json::serialize(list));
}

http::Response RetrieveModelResponse(const std::vector<std::string>& names, std::string_view id,
                                     WallTime created) {
  for (const std::string& name : names) {
    if (name == id)
      return http::JsonResponse(200, boost::json::serialize(ModelObject(id, created)));
  }
  http::ApiError error;
  error.status = 404;
  error.type = "invalid_request_error";
  error.message = "The model '" + std::string(id) + "' does not exist";
  error.code = "model_not_found";
  error.param = "model";
  return http::ErrorResponse(error);
}

}  // namespace sluice::api
