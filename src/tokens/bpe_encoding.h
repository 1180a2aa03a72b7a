// BpeEncoding: one tiktoken encoding (o200k_base or cl100k_base) — its vocabulary, its
// pre-tokenizer and the byte-pair merge — turning text into token ids exactly as tiktoken does
// for ordinary text. Special tokens are not recognised: "<|endoftext|>" is encoded as the
// characters it is made of, which is what counting a user's prompt needs.
// Immutable after Create; Encode and Count are thread-safe. They are CPU work (tens of MB/s per
// core): callers must keep large inputs off event loops.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "tokens/encoding.h"
#include "tokens/pre_tokenizer.h"
#include "tokens/rank_table.h"

namespace sluice::tokens {

class BpeEncoding {
 public:
  // Builds `encoding` from the text of its .tiktoken file. kInvalidArgument when the text is
  // not a valid vocabulary.
  static Result<BpeEncoding> Create(Encoding encoding, std::string_view tiktoken_text);

  std::vector<Rank> Encode(std::string_view text) const;
  // The number of tokens Encode would return, without building them.
  std::int64_t Count(std::string_view text) const;

  Encoding encoding() const { return encoding_; }

 private:
  BpeEncoding(Encoding encoding, RankTable ranks, PreTokenizer pre_tokenizer)
      : encoding_(encoding), ranks_(std::move(ranks)), pre_tokenizer_(std::move(pre_tokenizer)) {}

  // Calls on_token(Rank) for each token of `text`; with want_ranks false the ranks of pieces
  // that needed merging are not looked up again and on_token gets kNoRank.
  template <typename OnToken>
  void ForEachToken(std::string_view text, bool want_ranks, OnToken&& on_token) const;

  Encoding encoding_;
  RankTable ranks_;
  PreTokenizer pre_tokenizer_;
};

}  // namespace sluice::tokens
