// Tokenizers: the BPE encodings sluice loaded at start, shared by everything that counts tokens.
// Open() starts loading the vocabulary files on a background thread (o200k_base takes about
// 0.1–0.3 s), so a command starts at once; the first lookup waits for the load to finish.
// Missing or corrupt files leave an encoding unavailable: counts for its models fall back to
// the character heuristic, and a warning says so once. Thread-safe.
#pragma once

#include <array>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/bpe_encoding.h"
#include "tokens/encoding.h"

namespace sluice::tokens {

class Tokenizers {
 public:
  using Loaded = std::array<std::optional<BpeEncoding>, kEncodings.size()>;

  // Where the vocabularies are looked for, in order: $SLUICE_TOKENIZER_DIR alone when it is
  // set; otherwise <executable's dir>/../share/sluice/tokenizers (an installed sluice), then the
  // repository's data/tokenizers seen from a build tree (<repo>/build/<preset>/<dir>/<binary>).
  static std::vector<std::filesystem::path> DefaultDirectories();

  // Starts loading from the first of `directories` that exists; each file's SHA-256 is checked
  // against the encoding's. Never fails: what cannot be loaded is logged and left unavailable.
  static std::unique_ptr<Tokenizers> Open(std::vector<std::filesystem::path> directories);

  // Loads synchronously from exactly `directory`; a failure is returned rather than logged.
  static Result<BpeEncoding> LoadEncoding(Encoding encoding,
                                          const std::filesystem::path& directory);

  // The encoding, once loaded (waits for the load); nullptr when it is unavailable.
  const BpeEncoding* Find(Encoding encoding) const;

  // The encoding of `model` (see EncodingForModel), or nullptr for a model of no known encoding
  // (warned once per name) or an unavailable encoding.
  const BpeEncoding* ForModel(std::string_view model) const;

  ~Tokenizers();

 private:
  explicit Tokenizers(std::shared_future<std::shared_ptr<const Loaded>> loaded)
      : loaded_(std::move(loaded)) {}
  void WarnUnknownModel(std::string_view model) const;

  std::shared_future<std::shared_ptr<const Loaded>> loaded_;
  mutable std::mutex mutex_;
  mutable std::set<std::string, std::less<>> warned_models_;  // bounded: kMaxWarnedModels
};

}  // namespace sluice::tokens
