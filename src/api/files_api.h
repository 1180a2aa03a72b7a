// FilesApi: OpenAI's Files endpoints — upload (multipart, streamed to disk), list, retrieve,
// content (streamed from disk) and delete — each for one tenant: a file of another tenant answers
// exactly as an unknown id does, except to an admin key, which reaches every tenant's file by
// its id (listing stays the caller's own files). The router maps methods and paths onto these
// and names the tenant ("default" when no keys are configured).
// Threading: every method is a coroutine on the caller's I/O executor (a connection's strand).
// Every store and disk call runs on `store_executor` (via http::Offload); nothing blocks the loop.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/scope.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"
#include "http/server.h"
#include "store/file_bodies.h"
#include "store/store.h"

namespace sluice::api {

struct FilesApiOptions {
  std::int64_t max_upload_bytes = 200'000'000;  // the largest file (files.max_upload_size)
  // How long an upload of purpose "batch" is kept when its form names no expires_after
  // (retention.batch_input_files); unset: until deleted. OpenAI's default: 30 days. Uploads of
  // other purposes are kept until deleted unless their form says otherwise, as at OpenAI.
  std::optional<Duration> batch_file_expiry = std::chrono::hours(24 * 30);
};

// What FilesApi works with; all of it must outlive the FilesApi.
struct FilesApiDeps {
  store::Store& store;
  const store::FileBodies& bodies;
  boost::asio::any_io_executor store_executor;  // the store's one blocking thread
  const Clock& clock;                           // created_at of uploads; what has expired
};

class FilesApi {
 public:
  FilesApi(FilesApiDeps deps, FilesApiOptions options);

  // True for the requests whose body Upload reads itself (POST /v1/files): what
  // ServerOptions::stream_body should say for them.
  static bool StreamsBody(const http::Request& head);
  // The largest upload request: max_upload_bytes plus room for the form around the file. Set
  // ServerOptions::max_streamed_body_bytes to at least this.
  std::int64_t max_request_bytes() const;

  // POST /v1/files: form fields `file` and `purpose`, in either order, and optionally
  // `expires_after[anchor]` (created_at) and `expires_after[seconds]` (3600..2592000). Answers
  // the file object, or 400 (not multipart, malformed, missing or wrong field, a batch file not
  // named .jsonl), 413 (file past max_upload_bytes), 507 (disk full), 500; on any failure
  // nothing is stored.
  boost::asio::awaitable<void> Upload(http::Exchange& exchange, std::string tenant);
  // GET /v1/files?after&limit&order&purpose: a page of the tenant's files, expired ones left out;
  // 400 for a bad parameter or an `after` that names no file of the tenant.
  boost::asio::awaitable<http::Response> List(http::Request request, std::string tenant);
  // GET /v1/files/{id}: the file object, or 404.
  boost::asio::awaitable<http::Response> Get(std::string id, Scope scope);
  // GET /v1/files/{id}/content: the bytes as application/octet-stream, streamed (chunked) from
  // disk; 404 before the stream for an unknown id. A read failure mid-way cuts the response.
  boost::asio::awaitable<void> Content(http::Exchange& exchange, std::string id,
                                       Scope scope);
  // DELETE /v1/files/{id}: removes the record, then the bytes; {"id","object":"file",
  // "deleted":true}, or 404.
  boost::asio::awaitable<http::Response> Delete(std::string id, Scope scope);

  // The tenant's file `id`; kNotFound ("No such File object: <id>") for an unknown id, another
  // tenant's file and an expired file (swept or not) alike; another code when the store fails.
  boost::asio::awaitable<Result<store::FileRecord>> Find(std::string id, Scope scope);

 private:
  // Streams the bytes of an opened file as the whole response.
  boost::asio::awaitable<void> SendBytes(http::Exchange& exchange,
                                         store::FileBodies::Reader& reader);

  FilesApiDeps deps_;
  FilesApiOptions options_;
};

}  // namespace sluice::api
