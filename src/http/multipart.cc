// MultipartParser: a state machine over the body. The body is parsed as if it began with CRLF, so
// the first boundary line matches the same "\r\n--boundary" delimiter as every later one.
#include "http/multipart.h"

#include <strings.h>

#include <algorithm>

#include "http/header_value.h"

namespace sluice::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxBoundaryBytes = 70;  // RFC 2046
// Spaces allowed between a boundary and its line end (transport padding).
constexpr std::size_t kMaxPaddingBytes = 64;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// How many bytes at the end of `data` could begin `delimiter` (and so must wait for more input).
std::size_t PossibleDelimiterStart(std::string_view data, std::string_view delimiter) {
  std::size_t longest = std::min(data.size(), delimiter.size() - 1);
  for (std::size_t n = longest; n > 0; --n) {
    if (data.substr(data.size() - n) == delimiter.substr(0, n)) return n;
  }
  return 0;
}

Status Malformed(std::string_view what) {
  return InvalidArgumentError("malformed multipart body: " + std::string(what));
}

// Reads a part's header block (without its final blank line) into `part`.
Status ParsePartHeaders(std::string_view block, MultipartPart& part) {
  bool disposition = false;
  while (!block.empty()) {
    std::size_t end = block.find(kCrlf);
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part header line has no ':'");
    std::string_view name = TrimSpaces(line.substr(0, colon));
    std::string_view value = TrimSpaces(line.substr(colon + 1));
    if (IEquals(name, "content-type")) {
      part.content_type = std::string(value);
    } else if (IEquals(name, "content-disposition")) {
      std::optional<HeaderValue> parsed = ParseHeaderValue(value);
      if (!parsed || parsed->value != "form-data" || !parsed->Param("name")) {
        return Malformed("a part's Content-Disposition is not form-data with a name");
      }
      disposition = true;
      part.name = std::string(*parsed->Param("name"));
      if (auto filename = parsed->Param("filename")) part.filename = std::string(*filename);
      if (auto extended = parsed->Param("filename*")) {
        if (auto decoded = DecodeExtendedValue(*extended)) part.filename = std::move(*decoded);
      }
    }
  }
  if (!disposition) return Malformed("a part has no Content-Disposition header");
  return OkStatus();
}

}  // namespace

Result<MultipartParser> MultipartParser::ForContentType(std::string_view content_type,
                                                        MultipartLimits limits) {
  std::optional<HeaderValue> parsed = ParseHeaderValue(content_type);
  if (!parsed || parsed->value != "multipart/form-data") {
    return InvalidArgumentError("expected Content-Type multipart/form-data, got '" +
                                std::string(content_type) + "'");
  }
  std::optional<std::string_view> boundary = parsed->Param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryBytes ||
      boundary->find_first_of("\r\n") != std::string_view::npos) {
    return InvalidArgumentError(
        "the multipart/form-data Content-Type has no boundary of 1 to 70 characters");
  }
  return MultipartParser(std::string(*boundary), limits);
}

MultipartParser::MultipartParser(std::string boundary, MultipartLimits limits)
    : delimiter_("\r\n--" + boundary), limits_(limits), carry_(kCrlf) {}

Status MultipartParser::Fail(std::string message) {
  state_ = State::kFailed;
  error_ = Malformed(message);
  return error_;
}

Result<std::vector<MultipartEvent>> MultipartParser::Feed(std::string_view input) {
  if (state_ == State::kFailed) return error_;
  if (carry_.empty()) {
    data_ = input;
  } else {
    work_.assign(carry_).append(input);
    carry_.clear();
    data_ = work_;
  }
  pos_ = 0;
  std::vector<MultipartEvent> events;
  bool more = true;
  while (more && pos_ < data_.size()) {
    switch (state_) {
      case State::kPreamble:
        more = StepPreamble();
        break;
      case State::kAfterBoundary:
        more = StepAfterBoundary();
        break;
      case State::kHeaders:
        more = StepHeaders(events);
        break;
      case State::kBody:
        more = StepBody(events);
        break;
      case State::kEpilogue:
        pos_ = data_.size();  // ignored, as RFC 2046 says
        break;
      case State::kFailed:
        return error_;
    }
  }
  if (state_ == State::kFailed) return error_;
  carry_.assign(data_.substr(pos_));
  return events;
}

Status MultipartParser::Finish() const {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kEpilogue) return OkStatus();
  return Malformed("it ends before the closing boundary");
}

bool MultipartParser::StepPreamble() {
  std::string_view rest = data_.substr(pos_);
  std::size_t found = rest.find(delimiter_);
  std::size_t skipped = found != std::string_view::npos
                            ? found
                            : rest.size() - PossibleDelimiterStart(rest, delimiter_);
  preamble_seen_ += skipped;
  if (preamble_seen_ > limits_.max_preamble_bytes) {
    (void)Fail("no boundary line in its first " + std::to_string(limits_.max_preamble_bytes) +
               " bytes");
    return false;
  }
  pos_ += skipped;
  if (found == std::string_view::npos) return false;
  pos_ += delimiter_.size();
  state_ = State::kAfterBoundary;
  return true;
}

bool MultipartParser::StepAfterBoundary() {
  std::string_view rest = data_.substr(pos_);
  if (rest.size() < 2) return false;
  if (rest.starts_with("--")) {
    pos_ += 2;
    state_ = State::kEpilogue;
    return true;
  }
  // The padding limit applies to the padding alone, whole or not, so that where a read ends
  // does not decide (fuzz_multipart found 64 spaces refused only when split before the CRLF).
  std::size_t padding = std::min(rest.find_first_not_of(" \t"), rest.size());
  if (padding > kMaxPaddingBytes) {
    (void)Fail("a boundary line is followed by garbage");
    return false;
  }
  if (rest.size() < padding + 2) return false;
  if (rest.substr(padding, 2) != kCrlf) {
    (void)Fail("a boundary line is followed by garbage");
    return false;
  }
  pos_ += padding + 2;
  state_ = State::kHeaders;
  return true;
}

bool MultipartParser::StepHeaders(std::vector<MultipartEvent>& events) {
  std::string_view rest = data_.substr(pos_);
  // The header block ends with a blank line; with no headers at all, it is only that line.
  std::size_t end = rest.starts_with(kCrlf) ? 0 : rest.find("\r\n\r\n");
  // Without the blank line yet, the last three bytes may be its start, not header: counting
  // them refused a header block of exactly the limit when a read ended there (fuzz_multipart).
  std::size_t block_size = end != std::string_view::npos ? end
                           : rest.size() > 3             ? rest.size() - 3
                                                         : 0;
  if (block_size > limits_.max_part_header_bytes) {
    (void)Fail("a part's headers are longer than " + std::to_string(limits_.max_part_header_bytes) +
               " bytes");
    return false;
  }
  if (end == std::string_view::npos) return false;
  MultipartEvent begin{.kind = MultipartEvent::Kind::kPartBegin,
                       .part = {.name = "", .filename = std::nullopt, .content_type = "text/plain"},
                       .data = {}};
  if (Status parsed = ParsePartHeaders(rest.substr(0, end), begin.part); !parsed.ok()) {
    state_ = State::kFailed;
    error_ = parsed;
    return false;
  }
  events.push_back(std::move(begin));
  pos_ += end == 0 ? 2 : end + 4;
  state_ = State::kBody;
  return true;
}

bool MultipartParser::StepBody(std::vector<MultipartEvent>& events) {
  std::string_view rest = data_.substr(pos_);
  std::size_t found = rest.find(delimiter_);
  std::size_t size = found != std::string_view::npos
                         ? found
                         : rest.size() - PossibleDelimiterStart(rest, delimiter_);
  if (size > 0) {
    events.push_back(
        {.kind = MultipartEvent::Kind::kPartData, .part = {}, .data = rest.substr(0, size)});
  }
  pos_ += size;
  if (found == std::string_view::npos) return false;
  events.push_back({.kind = MultipartEvent::Kind::kPartEnd, .part = {}, .data = {}});
  pos_ += delimiter_.size();
  state_ = State::kAfterBoundary;
  return true;
}

}  // namespace sluice::http
