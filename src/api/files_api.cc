#include "api/files_api.h"

#include <boost/asio/this_coro.hpp>

#include "api/file_objects.h"
#include "api/upload_session.h"
#include "http/offload.h"

namespace sluice::api {
namespace asio = boost::asio;

namespace {

// The most one content chunk carries.
constexpr std::size_t kContentPieceBytes = 64 * 1024;

// The answer when Find failed.
http::Response FindFailure(const std::string& id, const Status& status) {
  return status.code() == StatusCode::kNotFound ? NoSuchFile(id) : StorageFailure(status);
}

}  // namespace

FilesApi::FilesApi(FilesApiDeps deps, FilesApiOptions options)
    : deps_(std::move(deps)), options_(options) {}

bool FilesApi::StreamsBody(const http::Request& head) {
  return head.method == "POST" && head.Path() == "/v1/files";
}

std::int64_t FilesApi::max_request_bytes() const {
  return UploadMaxRequestBytes(options_.max_upload_bytes);
}

asio::awaitable<void> FilesApi::Upload(http::Exchange& exchange, std::string tenant) {
  UploadSession session(deps_, options_, std::move(tenant));
  http::Response response = co_await session.Run(exchange);
  Status sent = co_await exchange.Respond(std::move(response));
  (void)sent;  // a client that went away has nothing more to hear
}

asio::awaitable<Result<store::FileRecord>> FilesApi::Find(std::string id, Scope scope) {
  asio::any_io_executor back = co_await asio::this_coro::executor;
  auto get = [this, &id] { return deps_.store.GetFile(id); };
  Result<store::FileRecord> file =
      co_await http::Offload<Result<store::FileRecord>>(deps_.store_executor, back, get);
  // An expired file is gone for clients from its expiry on, whenever the sweeper removes it.
  bool unknown = file.ok()
                     ? !scope.Sees(file->tenant) || store::IsExpired(*file, deps_.clock.WallNow())
                     : file.status().code() == StatusCode::kNotFound;
  if (unknown) co_return NotFoundError("No such File object: " + id);
  co_return file;
}

asio::awaitable<http::Response> FilesApi::Get(std::string id, Scope scope) {
  Result<store::FileRecord> file = co_await Find(id, std::move(scope));
  if (!file.ok()) co_return FindFailure(id, file.status());
  co_return http::JsonResponse(200, FileObjectJson(*file));
}

asio::awaitable<http::Response> FilesApi::List(http::Request request, std::string tenant) {
  std::variant<store::FileQuery, http::Response> parsed =
      ParseFileListQuery(request, std::move(tenant));
  if (auto* error = std::get_if<http::Response>(&parsed)) co_return std::move(*error);
  store::FileQuery& query = std::get<store::FileQuery>(parsed);
  query.unexpired_at = deps_.clock.WallNow();
  asio::any_io_executor back = co_await asio::this_coro::executor;
  auto list = [this, &query] { return deps_.store.ListFiles(query); };
  Result<store::FilePage> page =
      co_await http::Offload<Result<store::FilePage>>(deps_.store_executor, back, list);
  if (!page.ok() && page.status().code() == StatusCode::kNotFound) {
    co_return InvalidRequest("No such File object: " + query.after.value_or(""), "after");
  }
  if (!page.ok()) co_return StorageFailure(page.status());
  co_return http::JsonResponse(200, FileListJson(*page));
}

asio::awaitable<http::Response> FilesApi::Delete(std::string id, Scope scope) {
  Result<store::FileRecord> file = co_await Find(id, std::move(scope));
  if (!file.ok()) co_return FindFailure(id, file.status());
  asio::any_io_executor back = co_await asio::this_coro::executor;
  // The record goes first: once it is gone the file is gone for every client. Bytes whose
  // removal fails stay on disk unreferenced.
  auto remove = [this, &id] {
    Status deleted = deps_.store.DeleteFile(id);
    if (deleted.ok()) (void)deps_.bodies.Remove(id);
    return deleted;
  };
  Status deleted = co_await http::Offload<Status>(deps_.store_executor, back, remove);
  if (!deleted.ok()) co_return FindFailure(id, deleted);
  co_return http::JsonResponse(200, FileDeletedJson(id));
}

asio::awaitable<void> FilesApi::Content(http::Exchange& exchange, std::string id,
                                        Scope scope) {
  Result<store::FileRecord> file = co_await Find(id, std::move(scope));
  asio::any_io_executor back = co_await asio::this_coro::executor;
  std::optional<http::Response> failure;
  std::optional<store::FileBodies::Reader> reader;
  if (!file.ok()) failure = FindFailure(id, file.status());
  if (!failure) {
    auto open = [this, &id] { return deps_.bodies.Read(id); };
    Result<store::FileBodies::Reader> opened =
        co_await http::Offload<Result<store::FileBodies::Reader>>(deps_.store_executor, back, open);
    // Bytes missing under a record are a store failure, not an unknown id.
    if (!opened.ok()) failure = StorageFailure(opened.status().WithContext("the bytes of " + id));
    if (opened.ok()) reader.emplace(std::move(opened).value());
  }
  if (failure) {
    Status sent = co_await exchange.Respond(std::move(*failure));
    (void)sent;
    co_return;
  }
  co_await SendBytes(exchange, *reader);
  auto close = [&reader] {
    reader.reset();
    return OkStatus();
  };
  Status closed = co_await http::Offload<Status>(deps_.store_executor, back, close);
  (void)closed;
}

asio::awaitable<void> FilesApi::SendBytes(http::Exchange& exchange,
                                          store::FileBodies::Reader& reader) {
  asio::any_io_executor back = co_await asio::this_coro::executor;
  http::Headers headers;
  headers.Set("content-type", "application/octet-stream");
  Status status = co_await exchange.BeginStream(200, std::move(headers));
  while (status.ok()) {
    auto read = [&reader] { return reader.Read(kContentPieceBytes); };
    Result<std::string> piece =
        co_await http::Offload<Result<std::string>>(deps_.store_executor, back, read);
    // Returning mid-stream cuts the response, so a read failure never looks like a short file.
    if (!piece.ok()) co_return;
    if (piece->empty()) {
      status = co_await exchange.EndStream();
      co_return;
    }
    status = co_await exchange.WriteChunk(*piece);
  }
}

}  // namespace sluice::api
