// UploadSession: one POST /v1/files — reads the request body piece by piece, feeds the multipart
// parser and the UploadForm, streams the file into FileBodies and records it in the Store. The I/O
// shell around UploadForm. Internal to api/.
// Threading: one coroutine on the connection's executor; store and disk calls are offloaded to
// the store executor, one at a time.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "api/files_api.h"
#include "api/upload_form.h"
#include "http/multipart.h"

namespace sluice::api {

// The largest request body an upload of a file of at most `max_file_bytes` may need.
std::int64_t UploadMaxRequestBytes(std::int64_t max_file_bytes);

class UploadSession {
 public:
  UploadSession(const FilesApiDeps& deps, const FilesApiOptions& options, std::string tenant);

  // The answer to the upload. Whatever fails, neither a file body nor a record is left behind.
  boost::asio::awaitable<http::Response> Run(http::Exchange& exchange);

 private:
  // Reads and parses the whole form; the answer if it failed on the way.
  boost::asio::awaitable<std::optional<http::Response>> ReadForm(http::Exchange& exchange,
                                                                 http::MultipartParser& parser);
  // Carries out one step of the form; the answer if it failed.
  boost::asio::awaitable<std::optional<http::Response>> Apply(UploadForm::Step step);
  // When a file made at `created_at` expires: the form's expires_after, else the default.
  std::optional<WallTime> ExpiresAt(WallTime created_at) const;
  // Commits the file and records it; the file object, or the failure.
  boost::asio::awaitable<http::Response> Save();
  // Drops a file being written (its partial bytes are removed).
  boost::asio::awaitable<void> Discard();
  // Runs `work` (returning R) on the store executor.
  template <typename R, typename Work>
  boost::asio::awaitable<R> OnStore(Work& work);

  const FilesApiDeps& deps_;
  const FilesApiOptions& options_;
  const std::int64_t max_file_bytes_;
  const std::string tenant_;
  boost::asio::any_io_executor back_;  // where Run runs
  UploadForm form_;
  std::string id_;
  std::optional<store::FileBodies::Writer> writer_;
};

}  // namespace sluice::api
