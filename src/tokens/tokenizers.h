// Tokenizers: the BPE encodings sluice loaded at start, shared by everything that counts tokens.
// Open() starts loading each vocabulary file on a background thread of its own (o200k_base
// takes 35–60 ms in a release build, cl100k_base 13–20 ms), so a command starts at once; the
// first lookup of an encoding waits for that encoding's load.
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
  using Loading = std::shared_future<std::optional<BpeEncoding>>;

  Tokenizers() = default;
  void WarnUnknownModel(std::string_view model) const;

  std::array<Loading, kEncodings.size()> loading_;  // by Encoding
  mutable std::mutex mutex_;
  mutable std::set<std::string, std::less<>> warned_models_;  // bounded: kMaxWarnedModels
};

}  // namespace sluice::tokens
