#include "api/file_objects.h"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>

namespace sluice::api {
namespace {

constexpr std::size_t kMaxListLimit = 10000;

std::int64_t UnixSeconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

boost::json::object FileObject(const store::FileRecord& file) {
  boost::json::object object;
  object["id"] = file.id;
  object["object"] = "file";
  object["bytes"] = file.bytes;
  object["created_at"] = UnixSeconds(file.created_at);
  object["expires_at"] = file.expires_at ? boost::json::value(UnixSeconds(*file.expires_at))
                                         : boost::json::value(nullptr);
  object["filename"] = file.filename;
  object["purpose"] = file.purpose;
  object["status"] = file.status;
  return object;
}

}  // namespace

std::string FileObjectJson(const store::FileRecord& file) {
  return boost::json::serialize(FileObject(file));
}

std::string FileListJson(const store::FilePage& page) {
  boost::json::array data;
  for (const store::FileRecord& file : page.files) data.push_back(FileObject(file));
  boost::json::object list;
  list["object"] = "list";
  list["data"] = std::move(data);
  bool empty = page.files.empty();
  list["first_id"] =
      empty ? boost::json::value(nullptr) : boost::json::value(page.files.front().id);
  list["last_id"] = empty ? boost::json::value(nullptr) : boost::json::value(page.files.back().id);
  list["has_more"] = page.has_more;
  return boost::json::serialize(list);
}

std::variant<store::FileQuery, http::Response> ParseFileListQuery(const http::Request& request,
                                                                  std::string tenant) {
  store::FileQuery query{.tenant = std::move(tenant),
                         .purpose = request.DecodedQuery("purpose"),
                         .after = request.DecodedQuery("after"),
                         .limit = kMaxListLimit,
                         .order = store::SortOrder::kDescending};
  // An empty value means the parameter was not given.
  if (query.purpose && query.purpose->empty()) query.purpose.reset();
  if (query.after && query.after->empty()) query.after.reset();
  if (std::optional<std::string_view> limit = request.Query("limit")) {
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > kMaxListLimit) {
      return InvalidRequest("Invalid 'limit': expected an integer from 1 to 10000, got '" +
                                std::string(*limit) + "'.",
                            "limit");
    }
    query.limit = value;
  }
  if (std::optional<std::string> order = request.DecodedQuery("order")) {
    if (*order != "asc" && *order != "desc") {
      return InvalidRequest("Invalid 'order': expected 'asc' or 'desc', got '" + *order + "'.",
                            "order");
    }
    if (*order == "asc") query.order = store::SortOrder::kAscending;
  }
  return query;
}

std::string FileDeletedJson(std::string_view id) {
  boost::json::object deleted;
  deleted["id"] = id;
  deleted["object"] = "file";
  deleted["deleted"] = true;
  return boost::json::serialize(deleted);
}

http::Response NoSuchFile(std::string_view id) {
  return http::ErrorResponse({.status = 404,
                              .type = "invalid_request_error",
                              .message = "No such File object: " + std::string(id),
                              .code = std::nullopt,
                              .param = "id"});
}

http::Response InvalidRequest(std::string message, std::string param) {
  std::optional<std::string> named;
  if (!param.empty()) named = std::move(param);
  return http::ErrorResponse({.status = 400,
                              .type = "invalid_request_error",
                              .message = std::move(message),
                              .code = std::nullopt,
                              .param = std::move(named)});
}

http::Response FileTooLarge(std::int64_t max_bytes) {
  return http::ErrorResponse({.status = 413,
                              .type = "invalid_request_error",
                              .message = "File is too large: uploads may be at most " +
                                         std::to_string(max_bytes) +
                                         " bytes (files.max_upload_size).",
                              .code = std::nullopt,
                              .param = "file"});
}

http::Response StorageFailure(const Status& status) {
  if (status.code() == StatusCode::kResourceExhausted) {
    return http::ErrorResponse(
        {.status = 507,
         .type = "server_error",
         .message = "The server has no room to store the file; nothing was stored.",
         .code = "insufficient_storage",
         .param = std::nullopt});
  }
  return http::ErrorResponse({.status = 500,
                              .type = "server_error",
                              .message = "The file store failed: " + status.message(),
                              .code = std::nullopt,
                              .param = std::nullopt});
}

}  // namespace sluice::api
