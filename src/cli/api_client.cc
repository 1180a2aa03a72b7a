#include "cli/api_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "common/ids.h"
#include "http/client.h"

namespace sluice::cli {
namespace asio = boost::asio;
namespace json = boost::json;

struct ApiClient::Loop {
  asio::io_context io;
  std::unique_ptr<http::Client> client = http::Client::Create(io.get_executor(), {});

  // Runs `work` on the loop to its end.
  template <typename T>
  T Run(asio::awaitable<T> work) {
    std::optional<T> result;
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
      failure = e;
      if (!e) result.emplace(std::move(value));
    });
    io.restart();
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
  }
};

namespace {

std::string Origin(std::string url) {
  while (url.ends_with("/")) url.pop_back();
  if (url.ends_with("/v1")) url.resize(url.size() - 3);
  while (url.ends_with("/")) url.pop_back();
  return url;
}

// The API's error answer as a Status: its message, status and type.
Status AnswerError(const http::Response& response) {
  std::string message;
  std::string type;
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  const json::value* error = !ec && body.is_object() ? body.get_object().if_contains("error") : nullptr;
  if (error != nullptr && error->is_object()) {
    const json::object& fields = error->get_object();
    if (const auto* m = fields.if_contains("message"); m != nullptr && m->is_string()) {
      message = m->get_string();
    }
    if (const auto* t = fields.if_contains("type"); t != nullptr && t->is_string()) {
      type = " " + std::string(t->get_string());
    }
  }
  if (message.empty()) message = response.body.substr(0, 200);
  message += " (HTTP " + std::to_string(response.status) + type + ")";
  StatusCode code = response.status == 404                              ? StatusCode::kNotFound
                    : response.status >= 400 && response.status < 500 ? StatusCode::kInvalidArgument
                                                                       : StatusCode::kUnavailable;
  return Status(code, message);
}

Status Unreachable(const std::string& origin, const Status& failure) {
  return Status(StatusCode::kUnavailable, "cannot reach " + origin + ": " + failure.message());
}

Result<json::value> ParseAnswer(const http::Response& response) {
  if (response.status < 200 || response.status > 299) return AnswerError(response);
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec) return UnavailableError("the gateway's answer is not JSON");
  return body;
}

// A multipart/form-data body: the purpose field, then the file.
std::string UploadBody(const std::string& boundary, const std::string& purpose,
                       const std::string& filename, const std::string& content) {
  std::string body;
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n";
  body += purpose + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
  body += content;
  body += "\r\n--" + boundary + "--\r\n";
  return body;
}

}  // namespace

ApiClient::ApiClient(ApiTarget target)
    : origin_(Origin(std::move(target.url))),
      api_key_(std::move(target.api_key)),
      loop_(std::make_unique<Loop>()) {}

ApiClient::~ApiClient() = default;

Result<json::value> ApiClient::Call(const std::string& method, const std::string& path,
                                    const std::string& body) {
  http::ClientRequest request;
  request.method = method;
  request.url = origin_ + path;
  if (!api_key_.empty()) request.headers.Set("authorization", "Bearer " + api_key_);
  if (!body.empty()) {
    request.headers.Set("content-type", "application/json");
    request.body = body;
  }
  Result<http::Response> answer = loop_->Run(loop_->client->Send(std::move(request)));
  if (!answer.ok()) return Unreachable(origin_, answer.status());
  return ParseAnswer(*answer);
}

Result<json::value> ApiClient::Upload(const std::string& file_path, const std::string& purpose) {
  std::ifstream in(file_path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + file_path);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return UnavailableError("cannot read " + file_path);
  std::string boundary = NewId("sluice-");
  http::ClientRequest request;
  request.url = origin_ + "/v1/files";
  if (!api_key_.empty()) request.headers.Set("authorization", "Bearer " + api_key_);
  request.headers.Set("content-type", "multipart/form-data; boundary=" + boundary);
  request.body = UploadBody(boundary, purpose,
                            std::filesystem::path(file_path).filename().string(), content.str());
  Result<http::Response> answer = loop_->Run(loop_->client->Send(std::move(request)));
  if (!answer.ok()) return Unreachable(origin_, answer.status());
  return ParseAnswer(*answer);
}

Result<std::int64_t> ApiClient::Download(const std::string& path, const std::string& file_path) {
  http::ClientRequest request;
  request.method = "GET";
  request.url = origin_ + path;
  if (!api_key_.empty()) request.headers.Set("authorization", "Bearer " + api_key_);
  std::string partial = file_path + ".partial";
  auto work = [&]() -> asio::awaitable<Result<std::int64_t>> {
    auto stream = co_await loop_->client->Open(std::move(request));
    if (!stream.ok()) co_return Unreachable(origin_, stream.status());
    if ((*stream)->status() < 200 || (*stream)->status() > 299) {
      http::Response response{(*stream)->status(), (*stream)->headers(), ""};
      while (response.body.size() < 64 * 1024) {
        auto piece = co_await (*stream)->Next();
        if (!piece.ok() || !*piece) break;
        response.body += **piece;
      }
      co_return AnswerError(response);
    }
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) co_return UnavailableError("cannot write " + partial);
    std::int64_t written = 0;
    while (true) {
      auto piece = co_await (*stream)->Next();
      if (!piece.ok()) co_return Unreachable(origin_, piece.status());
      if (!*piece) break;
      out.write((*piece)->data(), static_cast<std::streamsize>((*piece)->size()));
      if (!out) co_return UnavailableError("cannot write " + partial);
      written += static_cast<std::int64_t>((*piece)->size());
    }
    out.close();
    if (!out) co_return UnavailableError("cannot write " + partial);
    co_return written;
  };
  Result<std::int64_t> written = loop_->Run(work());
  std::error_code ec;
  if (!written.ok()) {
    std::filesystem::remove(partial, ec);
    return written.status();
  }
  std::filesystem::rename(partial, file_path, ec);
  if (ec) return UnavailableError("cannot write " + file_path + ": " + ec.message());
  return written;
}

}  // namespace sluice::cli
