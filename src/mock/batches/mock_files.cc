#include "mock/batches/mock_files.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "http/multipart.h"

namespace sluice::mock {
namespace {

constexpr std::string_view kFilesPrefix = "/v1/files/";

http::Response Invalid(std::string message, std::optional<std::string> param = std::nullopt) {
  return http::ErrorResponse(
      {400, "invalid_request_error", std::move(message), std::nullopt, std::move(param)});
}

http::Response NoSuchFile(std::string_view id) {
  return http::ErrorResponse({404, "invalid_request_error",
                              fmt::format("No such File object: {}", id), std::nullopt, "id"});
}

struct Upload {
  std::optional<std::string> purpose;
  std::optional<std::string> filename;
  std::optional<std::string> content;
};

Result<Upload> ParseUpload(const http::Request& request) {
  SLUICE_ASSIGN_OR_RETURN(
      http::MultipartParser parser,
      http::MultipartParser::ForContentType(request.headers.Get("content-type").value_or("")));
  SLUICE_ASSIGN_OR_RETURN(std::vector<http::MultipartEvent> events, parser.Feed(request.body));
  SLUICE_RETURN_IF_ERROR(parser.Finish());
  Upload upload;
  std::string field;
  std::string value;
  for (const http::MultipartEvent& e : events) {
    if (e.kind == http::MultipartEvent::Kind::kPartBegin) {
      field = e.part.name;
      value.clear();
      if (field == "file") upload.filename = e.part.filename.value_or("upload");
    } else if (e.kind == http::MultipartEvent::Kind::kPartData) {
      value.append(e.data);
    } else if (field == "file") {
      upload.content = value;
    } else if (field == "purpose") {
      upload.purpose = value;
    }
  }
  return upload;
}

}  // namespace

std::string FileObjectJson(const MockFile& f) {
  boost::json::object o{{"id", f.id},
                        {"object", "file"},
                        {"bytes", static_cast<std::int64_t>(f.content.size())},
                        {"created_at", f.created_at},
                        {"expires_at", nullptr},
                        {"filename", f.filename},
                        {"purpose", f.purpose},
                        {"status", "processed"},
                        {"status_details", nullptr}};
  return boost::json::serialize(o);
}

std::string MockFiles::Add(MockFile file) {
  std::string id = file.id;
  files_[id] = std::move(file);
  return id;
}

const MockFile* MockFiles::Find(const std::string& id) const {
  auto it = files_.find(id);
  return it == files_.end() ? nullptr : &it->second;
}

http::Response MockFiles::Handle(const http::Request& request, std::int64_t now_seconds,
                                 const std::string& new_id) {
  std::string_view path = request.Path();
  if (path == "/v1/files") {
    if (request.method != "POST") {
      return http::ErrorResponse(
          {405, "invalid_request_error",
           fmt::format("Invalid method for URL ({} {})", request.method, path), std::nullopt,
           std::nullopt});
    }
    Result<Upload> upload = ParseUpload(request);
    if (!upload.ok()) return Invalid(std::string(upload.status().message()));
    if (!upload->content) return Invalid("Missing required parameter: 'file'.", "file");
    if (!upload->purpose) return Invalid("Missing required parameter: 'purpose'.", "purpose");
    MockFile file{new_id, *upload->filename, *upload->purpose, now_seconds, *upload->content};
    std::string body = FileObjectJson(file);
    Add(std::move(file));
    return http::JsonResponse(200, std::move(body));
  }
  std::string id(path.substr(kFilesPrefix.size()));
  bool content = id.ends_with("/content");
  if (content) id.resize(id.size() - std::string_view("/content").size());
  auto it = files_.find(id);
  if (it == files_.end()) return NoSuchFile(id);
  if (request.method == "DELETE" && !content) {
    files_.erase(it);
    return http::JsonResponse(200, boost::json::serialize(boost::json::object{
                                       {"id", id}, {"object", "file"}, {"deleted", true}}));
  }
  if (request.method != "GET") {
    return http::ErrorResponse({405, "invalid_request_error",
                                fmt::format("Invalid method for URL ({} {})", request.method, path),
                                std::nullopt, std::nullopt});
  }
  if (!content) return http::JsonResponse(200, FileObjectJson(it->second));
  http::Response raw{200, {}, it->second.content};
  raw.headers.Set("content-type", "application/octet-stream");
  return raw;
}

}  // namespace sluice::mock
