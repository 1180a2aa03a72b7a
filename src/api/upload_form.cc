#include "api/upload_form.h"

#include <strings.h>

#include <array>
#include <charconv>
#include <utility>

#include "api/file_objects.h"

namespace sluice::api {
namespace {

constexpr std::array<std::string_view, 6> kPurposes = {"assistants", "batch",     "fine-tune",
                                                       "vision",     "user_data", "evals"};
// A purpose longer than this is wrong anyway; the rest of it is not kept.
constexpr std::size_t kMaxPurposeBytes = 64;
// So is an expires_after value.
constexpr std::size_t kMaxTextBytes = 32;
// OpenAI's bounds on expires_after[seconds]: an hour to 30 days.
constexpr std::int64_t kMinExpirySeconds = 3600;
constexpr std::int64_t kMaxExpirySeconds = 2592000;

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
  if (part.name == "expires_after[anchor]" || part.name == "expires_after[seconds]") {
    field_ = part.name == "expires_after[anchor]" ? Field::kExpiresAnchor : Field::kExpiresSeconds;
    Text& text = *TextOf(field_);
    if (text.given) {
      return Fail(InvalidRequest("'" + part.name + "' is given more than once.", part.name));
    }
    text.given = true;
    return {};
  }
  if (part.name != "file") {
    field_ = Field::kOther;  // a field OpenAI does not read either
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
  if (Text* text = TextOf(field_)) text->Append(data);
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

void UploadForm::Text::Append(std::string_view data) {
  if (value.size() + data.size() > kMaxTextBytes) {
    too_long = true;
  } else {
    value.append(data);
  }
}

UploadForm::Text* UploadForm::TextOf(Field field) {
  if (field == Field::kExpiresAnchor) return &expires_anchor_;
  if (field == Field::kExpiresSeconds) return &expires_seconds_;
  return nullptr;
}

std::optional<http::Response> UploadForm::CheckExpiry() const {
  if (!expires_anchor_.given && !expires_seconds_.given) return std::nullopt;
  for (const auto& [text, name] : {std::pair{&expires_anchor_, "expires_after[anchor]"},
                                   std::pair{&expires_seconds_, "expires_after[seconds]"}}) {
    if (!text->given) {
      return InvalidRequest("Missing required parameter: '" + std::string(name) + "'.", name);
    }
  }
  if (expires_anchor_.too_long || expires_anchor_.value != "created_at") {
    return InvalidRequest("Invalid value for 'expires_after[anchor]': '" + expires_anchor_.value +
                              (expires_anchor_.too_long ? "...'" : "'") +
                              ". Supported values are: 'created_at'.",
                          "expires_after[anchor]");
  }
  if (!expires_after()) {
    return InvalidRequest(
        "Invalid 'expires_after[seconds]': expected an integer from 3600 (1 "
        "hour) to 2592000 (30 days), got '" +
            expires_seconds_.value + (expires_seconds_.too_long ? "...'." : "'."),
        "expires_after[seconds]");
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> UploadForm::expires_after() const {
  const std::string& text = expires_seconds_.value;
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (!expires_seconds_.given || expires_seconds_.too_long || ec != std::errc() ||
      end != text.data() + text.size() || seconds < kMinExpirySeconds ||
      seconds > kMaxExpirySeconds) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

std::optional<http::Response> UploadForm::Check() const {
  if (!has_file_) return InvalidRequest("Missing required parameter: 'file'.", "file");
  if (!has_purpose_) return InvalidRequest("Missing required parameter: 'purpose'.", "purpose");
  if (auto error = CheckPurpose()) return error;
  return CheckExpiry();
}

}  // namespace sluice::api
