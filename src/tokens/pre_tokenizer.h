// PreTokenizer: splits text into the pieces an encoding's regex matches (words with their
// leading space, digit groups, punctuation runs, whitespace runs) before byte-pair merging.
// PCRE2 with JIT, UTF and UCP. Bytes that are not valid UTF-8 never match; each run of them is
// handed on as a piece of its own. Immutable after Create; ForEachPiece is thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "common/result.h"

namespace sluice::tokens {

class PreTokenizer {
 public:
  // kInvalidArgument when `pattern` does not compile.
  static Result<PreTokenizer> Create(std::string_view pattern);

  // Calls on_piece(std::string_view) for each piece of `text`, in order; the pieces concatenate
  // to `text`. Returns false if matching failed (then some pieces may be missing).
  template <typename OnPiece>
  bool ForEachPiece(std::string_view text, OnPiece&& on_piece) const;

 private:
  struct Code;
  struct MatchData;
  explicit PreTokenizer(std::shared_ptr<const Code> code) : code_(std::move(code)) {}
  // The next match at or after `start`: its bounds, or start == end == text.size() when none;
  // false on a matching error.
  bool NextMatch(std::string_view text, std::size_t start, MatchData& data, std::size_t& begin,
                 std::size_t& end) const;
  std::unique_ptr<MatchData, void (*)(MatchData*)> NewMatchData() const;

  std::shared_ptr<const Code> code_;
};

template <typename OnPiece>
bool PreTokenizer::ForEachPiece(std::string_view text, OnPiece&& on_piece) const {
  auto data = NewMatchData();
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t begin = 0;
    std::size_t end = 0;
    if (!NextMatch(text, position, *data, begin, end)) return false;
    if (begin > position) on_piece(text.substr(position, begin - position));
    if (end > begin) on_piece(text.substr(begin, end - begin));
    position = end;
  }
  return true;
}

}  // namespace sluice::tokens
