// UploadForm: the fields of a POST /v1/files form, followed as its multipart events arrive — which
// part is the file, the purpose text, the size limit and OpenAI's checks — telling its driver what
// to do with each event. The pure core of an upload: no I/O. Thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/multipart.h"

namespace sluice::api {

// The purposes an upload may name (OpenAI's); sluice itself reads only "batch" files.
bool IsUploadPurpose(std::string_view purpose);

class UploadForm {
 public:
  struct Step {
    enum class Kind { kNothing, kStartFile, kWriteFile, kFail };
    Kind kind = Kind::kNothing;
    std::string_view data;                // kWriteFile: the bytes to append
    std::optional<http::Response> error;  // kFail: the answer (nothing is stored)
  };

  explicit UploadForm(std::int64_t max_file_bytes) : max_file_bytes_(max_file_bytes) {}

  // What to do for the next event: start the file when its part begins, append its data, or
  // fail (a second file, a file part without a filename, a purpose known to be wrong, a file
  // past the limit: 413).
  Step On(const http::MultipartEvent& event);
  // After the last event: the answer when the form is incomplete or wrong (no file, no purpose,
  // an unknown purpose, a batch file not named .jsonl, an expires_after[anchor] other than
  // created_at, expires_after[seconds] outside 3600..2592000 or one of the two without the other),
  // else nullopt.
  std::optional<http::Response> Check() const;

  const std::string& purpose() const { return purpose_; }
  // expires_after[seconds] once Check() passed; unset when the form names no expiry.
  std::optional<std::chrono::seconds> expires_after() const;
  const std::string& filename() const { return filename_; }
  std::int64_t file_bytes() const { return file_bytes_; }

 private:
  enum class Field { kNone, kFile, kPurpose, kExpiresAnchor, kExpiresSeconds, kOther };
  // A short text field as it arrives: at most kMaxTextBytes are kept, the rest marks it too long.
  struct Text {
    bool given = false;
    bool too_long = false;
    std::string value;
    void Append(std::string_view data);
  };

  Step OnBegin(const http::MultipartPart& part);
  Step OnData(std::string_view data);
  std::optional<http::Response> CheckPurpose() const;
  std::optional<http::Response> CheckExpiry() const;
  // The text field `field` collects into, if it is one.
  Text* TextOf(Field field);

  const std::int64_t max_file_bytes_;
  Field field_ = Field::kNone;  // the part being read
  bool has_file_ = false;
  bool has_purpose_ = false;
  bool purpose_too_long_ = false;
  std::string purpose_;
  Text expires_anchor_;
  Text expires_seconds_;
  std::string filename_;
  std::int64_t file_bytes_ = 0;
};

}  // namespace sluice::api
