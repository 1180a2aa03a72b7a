// ApiClient: a blocking client of a running gateway's OpenAI-style HTTP API (Files, Batches),
// for the `sluice batches` and `sluice files` commands. Each call runs on the client's own event
// loop until it ends; an answer that is not 2xx becomes a Status carrying the API's message.
// Thread-compatible: one command, one thread.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>

#include "common/result.h"

namespace sluice::cli {

// Where the gateway is and the key to use (--url/SLUICE_URL, --api-key/SLUICE_API_KEY).
struct ApiTarget {
  std::string url = "http://127.0.0.1:8080";  // with or without a trailing /v1
  std::string api_key;                        // empty: no Authorization header (open mode)
};

class ApiClient {
 public:
  explicit ApiClient(ApiTarget target);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // `method` on `path` ("/v1/batches?limit=5"), JSON in and out. An answer that is not 2xx is
  // its error's message and type ("No such file: file-x (HTTP 404 invalid_request_error)"),
  // with the code kNotFound for a 404, kInvalidArgument for another 4xx, kUnavailable otherwise;
  // a gateway that cannot be reached is kUnavailable ("cannot reach http://...: ...").
  Result<boost::json::value> Call(const std::string& method, const std::string& path,
                                  const std::string& body = "");
  // Uploads the file at `file_path` to POST /v1/files with `purpose`; the file object.
  Result<boost::json::value> Upload(const std::string& file_path, const std::string& purpose);
  // Writes GET `path`'s body to `file_path` as it arrives (through a temporary file renamed at
  // the end: an interrupted download leaves no partial file); the bytes written.
  Result<std::int64_t> Download(const std::string& path, const std::string& file_path);

  // "http://127.0.0.1:8080": the url without /v1 or a trailing slash.
  const std::string& origin() const { return origin_; }

 private:
  struct Loop;
  std::string origin_;
  std::string api_key_;
  std::unique_ptr<Loop> loop_;
};

}  // namespace sluice::cli
