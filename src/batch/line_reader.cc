#include "batch/line_reader.h"

#include <cerrno>
#include <cstring>

namespace sluice::batch {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;

std::string_view StripCarriageReturn(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

LineReader::LineReader(std::FILE* file, std::size_t max_line_bytes)
    : file_(file), max_line_bytes_(max_line_bytes), buffer_(kChunkBytes, '\0') {}

LineReader::~LineReader() {
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
}

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path,
                                                     std::size_t max_line_bytes) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::string message = "cannot open " + path + ": " + std::strerror(errno);
    if (errno == ENOENT) return NotFoundError(std::move(message));
    if (errno == EACCES) return PermissionDeniedError(std::move(message));
    return UnavailableError(std::move(message));
  }
  auto reader = std::make_unique<LineReader>(file, max_line_bytes);
  reader->owns_file_ = true;
  return reader;
}

bool LineReader::Refill() {
  if (eof_ || error_) return false;
  std::size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  pos_ = 0;
  end_ = n;
  if (n < buffer_.size()) {
    if (std::ferror(file_)) error_ = true;
    eof_ = true;
  }
  return n > 0;
}

Line LineReader::Finish(std::string_view piece, bool from_carry) {
  Line line;
  line.number = ++number_;
  line.length = carry_length_ + piece.size();
  line.oversized = carry_oversized_;
  if (!line.oversized) {
    std::string_view text = piece;
    if (from_carry) {
      line_.append(piece);
      text = line_;
    }
    text = StripCarriageReturn(text);
    line.oversized = text.size() > max_line_bytes_;
    if (!line.oversized) line.text = text;
  }
  carry_length_ = 0;
  carry_oversized_ = false;
  return line;
}

Result<std::optional<Line>> LineReader::Next() {
  line_.clear();
  bool carrying = false;
  while (true) {
    if (pos_ == end_ && !Refill()) {
      if (error_)
        return DataLossError("read error after " + std::to_string(bytes_read_) + " bytes");
      if (!carrying) return std::optional<Line>();
      return std::optional<Line>(Finish({}, true));  // the last line had no newline
    }
    std::string_view available(buffer_.data() + pos_, end_ - pos_);
    std::size_t newline = available.find('\n');
    std::string_view piece = available.substr(0, newline);
    std::size_t consumed = newline == std::string_view::npos ? piece.size() : newline + 1;
    pos_ += consumed;
    bytes_read_ += consumed;
    if (newline != std::string_view::npos) return std::optional<Line>(Finish(piece, carrying));
    // The line continues past this chunk: keep it unless it is already too long.
    carrying = true;
    carry_length_ += piece.size();
    if (carry_length_ > max_line_bytes_ + 1) {
      carry_oversized_ = true;
      line_.clear();
      line_.shrink_to_fit();
    } else {
      line_.append(piece);
    }
  }
}

}  // namespace sluice::batch
