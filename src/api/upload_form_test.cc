#include "api/upload_form.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

using Kind = UploadForm::Step::Kind;

http::MultipartEvent Begin(std::string name, std::optional<std::string> filename = std::nullopt) {
  return {.kind = http::MultipartEvent::Kind::kPartBegin,
          .part = {.name = std::move(name), .filename = std::move(filename), .content_type = ""},
          .data = {}};
}

http::MultipartEvent Data(std::string_view data) {
  return {.kind = http::MultipartEvent::Kind::kPartData, .part = {}, .data = data};
}

http::MultipartEvent End() {
  return {.kind = http::MultipartEvent::Kind::kPartEnd, .part = {}, .data = {}};
}

// Feeds a purpose field.
void Purpose(UploadForm& form, std::string_view purpose) {
  EXPECT_EQ(form.On(Begin("purpose")).kind, Kind::kNothing);
  EXPECT_EQ(form.On(Data(purpose)).kind, Kind::kNothing);
  EXPECT_EQ(form.On(End()).kind, Kind::kNothing);
}

std::string ErrorParam(const http::Response& response) {
  auto param = boost::json::parse(response.body).at("error").at("param");
  return param.is_null() ? "" : std::string(param.as_string());
}

TEST(UploadFormTest, PurposeThenFileIsWrittenAndAccepted) {
  UploadForm form(100);
  Purpose(form, "batch");
  EXPECT_EQ(form.On(Begin("file", "in.jsonl")).kind, Kind::kStartFile);
  UploadForm::Step step = form.On(Data("abc"));
  EXPECT_EQ(step.kind, Kind::kWriteFile);
  EXPECT_EQ(step.data, "abc");
  EXPECT_EQ(form.On(End()).kind, Kind::kNothing);
  EXPECT_FALSE(form.Check().has_value());
  EXPECT_EQ(form.purpose(), "batch");
  EXPECT_EQ(form.filename(), "in.jsonl");
  EXPECT_EQ(form.file_bytes(), 3);
}

TEST(UploadFormTest, FileThenPurposeIsCheckedAtTheEnd) {
  UploadForm form(100);
  EXPECT_EQ(form.On(Begin("file", "notes.txt")).kind, Kind::kStartFile);
  EXPECT_EQ(form.On(Data("x")).kind, Kind::kWriteFile);
  EXPECT_EQ(form.On(End()).kind, Kind::kNothing);
  Purpose(form, "batch");
  std::optional<http::Response> error = form.Check();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, 400);
  EXPECT_NE(error->body.find(".jsonl"), std::string::npos);
}

TEST(UploadFormTest, AWrongPurposeFailsBeforeTheFileIsStored) {
  UploadForm form(100);
  Purpose(form, "training");
  UploadForm::Step step = form.On(Begin("file", "in.jsonl"));
  ASSERT_EQ(step.kind, Kind::kFail);
  EXPECT_EQ(ErrorParam(*step.error), "purpose");
}

TEST(UploadFormTest, EveryOpenAiPurposeIsAccepted) {
  for (std::string purpose : {"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}) {
    UploadForm form(100);
    Purpose(form, purpose);
    EXPECT_EQ(form.On(Begin("file", "a.jsonl")).kind, Kind::kStartFile) << purpose;
    EXPECT_FALSE(form.Check().has_value()) << purpose;
  }
  EXPECT_FALSE(IsUploadPurpose("batch_output"));
}

TEST(UploadFormTest, MissingFieldsAreNamed) {
  UploadForm no_file(100);
  Purpose(no_file, "batch");
  EXPECT_EQ(ErrorParam(*no_file.Check()), "file");
  UploadForm no_purpose(100);
  EXPECT_EQ(no_purpose.On(Begin("file", "a.jsonl")).kind, Kind::kStartFile);
  EXPECT_EQ(ErrorParam(*no_purpose.Check()), "purpose");
}

TEST(UploadFormTest, FilePastTheLimitIs413) {
  UploadForm form(5);
  ASSERT_EQ(form.On(Begin("file", "a.jsonl")).kind, Kind::kStartFile);
  EXPECT_EQ(form.On(Data("abc")).kind, Kind::kWriteFile);
  EXPECT_EQ(form.On(Data("de")).kind, Kind::kWriteFile);
  UploadForm::Step step = form.On(Data("f"));
  ASSERT_EQ(step.kind, Kind::kFail);
  EXPECT_EQ(step.error->status, 413);
}

TEST(UploadFormTest, FileFieldMustBeAFileAndOnlyOne) {
  UploadForm no_filename(100);
  EXPECT_EQ(no_filename.On(Begin("file")).kind, Kind::kFail);
  UploadForm twice(100);
  EXPECT_EQ(twice.On(Begin("file", "a.jsonl")).kind, Kind::kStartFile);
  EXPECT_EQ(twice.On(End()).kind, Kind::kNothing);
  EXPECT_EQ(twice.On(Begin("file", "b.jsonl")).kind, Kind::kFail);
}

TEST(UploadFormTest, OtherFieldsAreIgnoredAndALongPurposeIsWrong) {
  UploadForm form(100);
  EXPECT_EQ(form.On(Begin("user")).kind, Kind::kNothing);
  EXPECT_EQ(form.On(Data("3600")).kind, Kind::kNothing);
  EXPECT_EQ(form.On(End()).kind, Kind::kNothing);
  Purpose(form, std::string(1000, 'b'));
  EXPECT_EQ(form.On(Begin("file", "a.jsonl")).kind, Kind::kFail);
}

// Feeds a text field.
void Field(UploadForm& form, std::string name, std::string_view value) {
  EXPECT_EQ(form.On(Begin(std::move(name))).kind, Kind::kNothing);
  EXPECT_EQ(form.On(Data(value)).kind, Kind::kNothing);
  EXPECT_EQ(form.On(End()).kind, Kind::kNothing);
}

// A complete batch upload with the given expires_after fields (nullopt: left out).
UploadForm WithExpiry(std::optional<std::string_view> anchor,
                      std::optional<std::string_view> seconds) {
  UploadForm form(100);
  if (anchor) Field(form, "expires_after[anchor]", *anchor);
  if (seconds) Field(form, "expires_after[seconds]", *seconds);
  Purpose(form, "batch");
  EXPECT_EQ(form.On(Begin("file", "in.jsonl")).kind, Kind::kStartFile);
  EXPECT_EQ(form.On(End()).kind, Kind::kNothing);
  return form;
}

TEST(UploadFormTest, ExpiresAfterIsReadWithinOpenAisBounds) {
  EXPECT_EQ(WithExpiry(std::nullopt, std::nullopt).expires_after(), std::nullopt);
  for (std::int64_t seconds : {3600, 86400, 2592000}) {
    UploadForm form = WithExpiry("created_at", std::to_string(seconds));
    EXPECT_FALSE(form.Check().has_value()) << seconds;
    EXPECT_EQ(form.expires_after(), std::chrono::seconds(seconds));
  }
}

TEST(UploadFormTest, AWrongExpiresAfterNamesTheParameter) {
  struct Case {
    std::optional<std::string_view> anchor;
    std::optional<std::string_view> seconds;
    std::string param;
  };
  const std::string too_long(40, '9');
  for (const Case& c : {Case{"created_at", "3599", "expires_after[seconds]"},
                        Case{"created_at", "2592001", "expires_after[seconds]"},
                        Case{"created_at", "1h", "expires_after[seconds]"},
                        Case{"created_at", "", "expires_after[seconds]"},
                        Case{"created_at", too_long, "expires_after[seconds]"},
                        Case{"last_active_at", "3600", "expires_after[anchor]"},
                        Case{std::nullopt, "3600", "expires_after[anchor]"},
                        Case{"created_at", std::nullopt, "expires_after[seconds]"}}) {
    UploadForm form = WithExpiry(c.anchor, c.seconds);
    std::optional<http::Response> error = form.Check();
    ASSERT_TRUE(error.has_value()) << c.param << " " << c.seconds.value_or("-");
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(ErrorParam(*error), c.param) << error->body;
  }
  UploadForm twice(100);
  Field(twice, "expires_after[seconds]", "3600");
  EXPECT_EQ(twice.On(Begin("expires_after[seconds]")).kind, Kind::kFail);
}

}  // namespace
}  // namespace sluice::api
