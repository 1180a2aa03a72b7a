#include "tokens/bpe_encoding.h"

#include "tokens/byte_pair_merge.h"

namespace sluice::tokens {

Result<BpeEncoding> BpeEncoding::Create(Encoding encoding, std::string_view tiktoken_text) {
  SLUICE_ASSIGN_OR_RETURN(RankTable ranks, RankTable::Parse(tiktoken_text));
  SLUICE_ASSIGN_OR_RETURN(PreTokenizer pre_tokenizer,
                          PreTokenizer::Create(SpecOf(encoding).pattern));
  return BpeEncoding(encoding, std::move(ranks), std::move(pre_tokenizer));
}

template <typename OnToken>
void BpeEncoding::ForEachToken(std::string_view text, bool want_ranks, OnToken&& on_token) const {
  thread_local BytePairMerger merger;
  auto on_piece = [&](std::string_view piece) {
    if (piece.size() == 1) {
      on_token(ranks_.ByteRank(static_cast<unsigned char>(piece[0])));
      return;
    }
    if (Rank whole = ranks_.Find(piece); whole != kNoRank) {
      on_token(whole);
      return;
    }
    std::span<const std::uint32_t> bounds = merger.Merge(piece, ranks_);
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
      on_token(want_ranks ? ranks_.Find(piece.substr(bounds[i], bounds[i + 1] - bounds[i]))
                          : kNoRank);
    }
  };
  // Matching fails only on resource limits; the text left over is then merged as one piece so
  // the count stays a close upper bound rather than silently short.
  std::size_t done = 0;
  auto track = [&](std::string_view piece) {
    on_piece(piece);
    done += piece.size();
  };
  if (!pre_tokenizer_.ForEachPiece(text, track) && done < text.size()) {
    on_piece(text.substr(done));
  }
  merger.Trim();
}

std::vector<Rank> BpeEncoding::Encode(std::string_view text) const {
  std::vector<Rank> ids;
  ids.reserve(text.size() / 3);
  ForEachToken(text, true, [&](Rank rank) { ids.push_back(rank); });
  return ids;
}

std::int64_t BpeEncoding::Count(std::string_view text) const {
  std::int64_t count = 0;
  ForEachToken(text, false, [&](Rank) { ++count; });
  return count;
}

}  // namespace sluice::tokens
