#include "api/upload_session.h"

#include <boost/asio/this_coro.hpp>
#include <charconv>

#include "api/file_objects.h"
#include "common/ids.h"
#include "http/offload.h"

namespace sluice::api {
namespace asio = boost::asio;

namespace {

// The form around the file (boundaries, part headers, the purpose) is allowed this much.
constexpr std::int64_t kFormOverheadBytes = 64 * 1024;

// A declared content-length too large for any acceptable upload.
bool DeclaredTooLarge(const http::Request& request, std::int64_t max_request_bytes) {
  std::optional<std::string_view> length = request.headers.Get("content-length");
  if (!length) return false;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), value);
  return ec == std::errc() && end == length->data() + length->size() && value > max_request_bytes;
}

// The answer when the body could not be read.
http::Response BodyReadFailure(const Status& status, std::int64_t max_file_bytes) {
  switch (status.code()) {
    case StatusCode::kResourceExhausted:
      return FileTooLarge(max_file_bytes);
    case StatusCode::kDeadlineExceeded:
      return http::ErrorResponse({.status = 408,
                                  .type = "invalid_request_error",
                                  .message = "The request body did not arrive in time.",
                                  .code = std::nullopt,
                                  .param = std::nullopt});
    default:  // malformed chunking, or a client that is gone and will not read this
      return InvalidRequest("Could not read the request body: " + status.message());
  }
}

}  // namespace

std::int64_t UploadMaxRequestBytes(std::int64_t max_file_bytes) {
  return max_file_bytes + kFormOverheadBytes;
}

UploadSession::UploadSession(const FilesApiDeps& deps, const FilesApiOptions& options,
                             std::string tenant)
    : deps_(deps),
      options_(options),
      max_file_bytes_(options.max_upload_bytes),
      tenant_(std::move(tenant)),
      form_(options.max_upload_bytes) {}

template <typename R, typename Work>
asio::awaitable<R> UploadSession::OnStore(Work& work) {
  return http::Offload<R>(deps_.store_executor, back_, work);
}

asio::awaitable<http::Response> UploadSession::Run(http::Exchange& exchange) {
  back_ = co_await asio::this_coro::executor;
  const http::Request& request = exchange.request();
  if (DeclaredTooLarge(request, UploadMaxRequestBytes(max_file_bytes_))) {
    co_return FileTooLarge(max_file_bytes_);
  }
  Result<http::MultipartParser> parser =
      http::MultipartParser::ForContentType(request.headers.Get("content-type").value_or(""));
  if (!parser.ok()) co_return InvalidRequest(parser.status().message());
  std::optional<http::Response> failed = co_await ReadForm(exchange, *parser);
  if (!failed) failed = form_.Check();
  if (failed) {
    co_await Discard();
    co_return std::move(*failed);
  }
  co_return co_await Save();
}

asio::awaitable<std::optional<http::Response>> UploadSession::ReadForm(
    http::Exchange& exchange, http::MultipartParser& parser) {
  for (;;) {
    Result<std::string_view> piece = co_await exchange.ReadBody();
    if (!piece.ok()) co_return BodyReadFailure(piece.status(), max_file_bytes_);
    if (piece->empty()) break;
    Result<std::vector<http::MultipartEvent>> events = parser.Feed(*piece);
    if (!events.ok()) co_return InvalidRequest(events.status().message());
    for (const http::MultipartEvent& event : *events) {
      UploadForm::Step step = form_.On(event);
      std::optional<http::Response> failed = co_await Apply(step);
      if (failed) co_return failed;
    }
  }
  if (Status finished = parser.Finish(); !finished.ok()) {
    co_return InvalidRequest(finished.message());
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<http::Response>> UploadSession::Apply(UploadForm::Step step) {
  switch (step.kind) {
    case UploadForm::Step::Kind::kNothing:
      co_return std::nullopt;
    case UploadForm::Step::Kind::kFail:
      co_return std::move(step.error);
    case UploadForm::Step::Kind::kStartFile: {
      id_ = NewId("file-");
      auto begin = [this] { return deps_.bodies.Begin(id_); };
      Result<store::FileBodies::Writer> writer =
          co_await OnStore<Result<store::FileBodies::Writer>>(begin);
      if (!writer.ok()) co_return StorageFailure(writer.status());
      writer_.emplace(std::move(writer).value());
      co_return std::nullopt;
    }
    case UploadForm::Step::Kind::kWriteFile: {
      auto append = [this, data = step.data] { return writer_->Append(data); };
      Status appended = co_await OnStore<Status>(append);
      if (!appended.ok()) co_return StorageFailure(appended);
      co_return std::nullopt;
    }
  }
  co_return std::nullopt;
}

asio::awaitable<http::Response> UploadSession::Save() {
  auto commit = [this] { return writer_->Commit(); };
  Result<std::int64_t> bytes = co_await OnStore<Result<std::int64_t>>(commit);
  if (!bytes.ok()) co_return StorageFailure(bytes.status());
  WallTime now = deps_.clock.WallNow();
  store::FileRecord record{.id = id_,
                           .tenant = tenant_,
                           .filename = form_.filename(),
                           .purpose = form_.purpose(),
                           .bytes = *bytes,
                           .created_at = now,
                           .expires_at = ExpiresAt(now),
                           .status = "processed"};
  auto create = [this, &record] {
    Status created = deps_.store.CreateFile(record);
    if (!created.ok()) (void)deps_.bodies.Remove(record.id);
    return created;
  };
  Status created = co_await OnStore<Status>(create);
  if (!created.ok()) co_return StorageFailure(created);
  co_return http::JsonResponse(200, FileObjectJson(record));
}

std::optional<WallTime> UploadSession::ExpiresAt(WallTime created_at) const {
  if (std::optional<std::chrono::seconds> after = form_.expires_after()) return created_at + *after;
  if (form_.purpose() == "batch" && options_.batch_file_expiry) {
    return created_at + std::chrono::duration_cast<WallTime::duration>(*options_.batch_file_expiry);
  }
  return std::nullopt;
}

asio::awaitable<void> UploadSession::Discard() {
  if (!writer_) co_return;
  auto abort = [this] {
    writer_.reset();
    return OkStatus();
  };
  Status ignored = co_await OnStore<Status>(abort);
  (void)ignored;
}

}  // namespace sluice::api
