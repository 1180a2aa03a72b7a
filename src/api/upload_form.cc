#include "api/upload_form.h"

#include <strings.h>

#include <array>

#include "api/file_objects.h"

namespace sluice::api {
namespace {

constexpr std::array<std::string_view, 6> kPurposes = {"assistants", "batch",     "fine-tune",
                                                       "vision",     "user_data", "evals"};
// A purpose longer than this is wrong anyway; the rest of it is not kept.
constexpr std::size_t kMaxPurposeBytes = 64;

UploadForm::Step Fail(http::Response response) {
  return {.kind = UploadForm::Step::Kind::kFail, .data = {}, .error = std::move(response)};
}

}  // namespace

bool IsUploadPurpose(std::string_view purpose) {
  for (std::string_view allowed : kPurposes) {
    if (purpose == allowed) return true;
  }
  return false;
}

UploadForm::Step UploadForm::On(const http::MultipartEvent& event) {
  switch (event.kind) {
    case http::MultipartEvent::Kind::kPartBegin:
      return OnBegin(event.part);
    case http::MultipartEvent::Kind::kPartData:
      return OnData(event.data);
    case http::MultipartEvent::Kind::kPartEnd:
      field_ = Field::kNone;
      break;
  }
  return {};
}

UploadForm::Step UploadForm::OnBegin(const http::MultipartPart& part) {
  if (part.name == "purpose") {
    if (has_purpose_) return Fail(InvalidRequest("'purpose' is given more than once.", "purpose"));
    has_purpose_ = true;
    field_ = Field::kPurpose;
    return {};
  }
  if (part.name != "file") {
    field_ = Field::kOther;  // e.g. expires_after[seconds]: accepted, not used
    return {};
  }
  if (has_file_) return Fail(InvalidRequest("'file' is given more than once.", "file"));
  if (!part.filename || part.filename->empty()) {
    return Fail(InvalidRequest("'file' must be a file upload with a filename.", "file"));
  }
  has_file_ = true;
  filename_ = *part.filename;
  field_ = Field::kFile;
  // A purpose sent before the file is judged before a byte of the file is stored.
  if (has_purpose_) {
    if (auto error = CheckPurpose()) return Fail(std::move(*error));
  }
  return {.kind = Step::Kind::kStartFile, .data = {}, .error = std::nullopt};
}

UploadForm::Step UploadForm::OnData(std::string_view data) {
  if (field_ == Field::kPurpose) {
    if (purpose_.size() + data.size() > kMaxPurposeBytes) {
      purpose_too_long_ = true;
    } else {
      purpose_.append(data);
    }
  }
  if (field_ != Field::kFile) return {};
  file_bytes_ += static_cast<std::int64_t>(data.size());
  if (file_bytes_ > max_file_bytes_) return Fail(FileTooLarge(max_file_bytes_));
  return {.kind = Step::Kind::kWriteFile, .data = data, .error = std::nullopt};
}

std::optional<http::Response> UploadForm::CheckPurpose() const {
  if (purpose_too_long_ || !IsUploadPurpose(purpose_)) {
    std::string shown = purpose_too_long_ ? purpose_ + "..." : purpose_;
    return InvalidRequest("Invalid value for 'purpose': '" + shown +
                              "'. Supported values are: 'assistants', 'batch', 'fine-tune', "
                              "'vision', 'user_data' and 'evals'.",
                          "purpose");
  }
  bool jsonl =
      filename_.size() > 6 && strcasecmp(filename_.c_str() + filename_.size() - 6, ".jsonl") == 0;
  if (purpose_ == "batch" && has_file_ && !jsonl) {
    return InvalidRequest("Invalid file format for Batch API. Must be .jsonl", "file");
  }
  return std::nullopt;
}

std::optional<http::Response> UploadForm::Check() const {
  if (!has_file_) return InvalidRequest("Missing required parameter: 'file'.", "file");
  if (!has_purpose_) return InvalidRequest("Missing required parameter: 'purpose'.", "purpose");
  return CheckPurpose();
}

}  // namespace sluice::api
