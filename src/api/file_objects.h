// The Files API on the wire: OpenAI's file object, file list and deletion objects, and the
// errors the Files endpoints answer with. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "http/message.h"
#include "store/file_record.h"

namespace sluice::api {

// {"id","object":"file","bytes","created_at","expires_at","filename","purpose","status"}:
// expires_at in Unix seconds, null for a file kept until it is deleted (as OpenAI sends it).
// status_details (deprecated) is left out.
std::string FileObjectJson(const store::FileRecord& file);

// {"object":"list","data":[...],"first_id","last_id","has_more"}; first_id and last_id are null
// for an empty page.
std::string FileListJson(const store::FilePage& page);

// The query of GET /v1/files for `tenant`: `limit` 1..10000 (default 10000), `order` asc or desc
// (default desc), `after` and `purpose` (decoded); or the 400 answer for a bad value.
std::variant<store::FileQuery, http::Response> ParseFileListQuery(const http::Request& request,
                                                                  std::string tenant);

// {"id","object":"file","deleted":true}.
std::string FileDeletedJson(std::string_view id);

// 404 "No such File object: <id>" (param "id"): for unknown ids and other tenants' ids alike.
http::Response NoSuchFile(std::string_view id);

// 400 invalid_request_error with `message` and, if not empty, `param`.
http::Response InvalidRequest(std::string message, std::string param = "");

// 413 for an upload whose file is larger than `max_bytes`.
http::Response FileTooLarge(std::int64_t max_bytes);

// The answer for a store or disk failure: 507 when the disk is full (kResourceExhausted), else
// 500; both server_error.
http::Response StorageFailure(const Status& status);

}  // namespace sluice::api
