// LineReader: splits a byte stream into lines without ever holding more than one line (up to a
// limit) in memory. Accepts \n and \r\n endings and a last line without a newline. A line longer
// than the limit is skipped to its end and reported as oversized, so one bad line cannot exhaust
// memory. Thread-compatible: one owner.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::batch {

struct Line {
  std::int64_t number = 0;   // 1-based
  std::string_view text;     // without the line ending; valid until the next call to Next
  std::uint64_t length = 0;  // the full length, also when oversized
  bool oversized = false;    // text is empty then
};

class LineReader {
 public:
  // Reads from `file` (not owned; must stay open). `max_line_bytes` excludes the line ending.
  LineReader(std::FILE* file, std::size_t max_line_bytes);

  // Opens `path` for reading: kNotFound / kPermissionDenied with the path in the message.
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  std::size_t max_line_bytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line; std::nullopt at the end of the input; kDataLoss on a read error.
  // The returned text stays valid until the next call.
  Result<std::optional<Line>> Next();

  // Bytes consumed so far (for progress).
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  // Reads more input into buffer_; false at the end of the input or on an error.
  bool Refill();
  Line Finish(std::string_view piece, bool from_carry);

  std::FILE* file_;
  bool owns_file_ = false;
  std::size_t max_line_bytes_;
  std::string buffer_;  // bytes read but not yet returned: [pos_, end_)
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::string line_;  // assembled current line when it spans refills
  std::int64_t number_ = 0;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t carry_length_ = 0;  // length of the current line so far (line_ may be dropped)
  bool carry_oversized_ = false;
  bool eof_ = false;
  bool error_ = false;
};

}  // namespace sluice::batch
