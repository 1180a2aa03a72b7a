// MultipartParser: an incremental multipart/form-data parser (RFC 7578 over RFC 2046). Fed a
// body in pieces of any size, it reports each part's head and hands its data out in pieces as
// they arrive, holding back only the few bytes that might start a boundary, so a part is never
// buffered whole. Pure (no I/O). Thread-compatible: one owner feeds it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::http {

// What a part's headers say about it.
struct MultipartPart {
  std::string name;                     // the form field's name (Content-Disposition)
  std::optional<std::string> filename;  // set for a file field (filename* wins over filename)
  std::string content_type;             // "text/plain" when the part does not say (RFC 7578)
};

struct MultipartEvent {
  enum class Kind { kPartBegin, kPartData, kPartEnd };
  Kind kind = Kind::kPartData;
  MultipartPart part;     // kPartBegin only
  std::string_view data;  // kPartData only; never empty; valid until the next Feed
};

struct MultipartLimits {
  std::size_t max_part_header_bytes = 8 * 1024;  // one part's header block
  std::size_t max_preamble_bytes = 16 * 1024;    // what may come before the first boundary
};

class MultipartParser {
 public:
  // A parser for a body whose Content-Type header is `content_type`. kInvalidArgument, with a
  // message for the client, when it is not multipart/form-data or names no usable boundary.
  static Result<MultipartParser> ForContentType(std::string_view content_type,
                                                MultipartLimits limits = {});

  // `boundary` without the leading "--".
  explicit MultipartParser(std::string boundary, MultipartLimits limits = {});

  // Consumes the next piece of the body and returns what it completed, in order. Data views
  // point into `input` or into the parser and stay valid until the next call. kInvalidArgument
  // for a malformed body (a part header too long or without a form-data name, garbage after a
  // boundary or before the first one); after an error every call fails the same way.
  Result<std::vector<MultipartEvent>> Feed(std::string_view input);

  // The body has ended: kInvalidArgument unless the closing boundary was seen.
  Status Finish() const;

  // The closing boundary was seen (what follows it is ignored).
  bool done() const { return state_ == State::kEpilogue; }

 private:
  enum class State { kPreamble, kAfterBoundary, kHeaders, kBody, kEpilogue, kFailed };

  // Each step consumes from data_[pos_..] and returns false when it needs more input.
  bool StepPreamble();
  bool StepAfterBoundary();
  bool StepHeaders(std::vector<MultipartEvent>& events);
  bool StepBody(std::vector<MultipartEvent>& events);
  Status Fail(std::string message);

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  Status error_;
  std::size_t preamble_seen_ = 0;
  std::string carry_;      // input kept back from the previous Feed
  std::string work_;       // carry_ + input, when there was a carry
  std::string_view data_;  // what this Feed parses
  std::size_t pos_ = 0;
};

}  // namespace sluice::http
