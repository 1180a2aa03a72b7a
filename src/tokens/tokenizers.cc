#include "tokens/tokenizers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tokens/model_encoding.h"
#include "tokens/sha256.h"

namespace sluice::tokens {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxWarnedModels = 256;

std::string Join(const std::vector<fs::path>& paths) {
  std::string text;
  for (const fs::path& p : paths) text += (text.empty() ? "" : ", ") + p.string();
  return text.empty() ? "(no directory)" : text;
}

// Loads `encoding` from `directory`, or says why not and leaves it to the heuristic.
std::optional<BpeEncoding> LoadOrWarn(Encoding encoding, const fs::path& directory) {
  auto start = std::chrono::steady_clock::now();
  Result<BpeEncoding> loaded = Tokenizers::LoadEncoding(encoding, directory);
  if (!loaded.ok()) {
    spdlog::warn("token counts for {} models are estimates: {}; run scripts/setup.sh",
                 SpecOf(encoding).name, loaded.status().message());
    return std::nullopt;
  }
  spdlog::debug("loaded {} in {} ms", SpecOf(encoding).name,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count());
  return std::move(*loaded);
}

}  // namespace

std::vector<fs::path> Tokenizers::DefaultDirectories() {
  if (const char* dir = std::getenv("SLUICE_TOKENIZER_DIR"); dir != nullptr && *dir != '\0') {
    return {fs::path(dir)};
  }
  std::error_code ec;
  fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return {};
  return {(exe_dir / "../share/sluice/tokenizers").lexically_normal(),
          (exe_dir / "../../../../data/tokenizers").lexically_normal()};
}

std::unique_ptr<Tokenizers> Tokenizers::Open(std::vector<fs::path> directories) {
  std::unique_ptr<Tokenizers> tokenizers(new Tokenizers());
  std::error_code ec;
  auto found = std::find_if(directories.begin(), directories.end(),
                            [&](const fs::path& d) { return fs::is_directory(d, ec); });
  if (found == directories.end()) {
    spdlog::warn("token counts are estimates: vocabularies not found in {}; run scripts/setup.sh",
                 Join(directories));
  }
  for (Encoding encoding : kEncodings) {
    Loading& loading = tokenizers->loading_[static_cast<std::size_t>(encoding)];
    if (found == directories.end()) {
      std::promise<std::optional<BpeEncoding>> none;
      none.set_value(std::nullopt);
      loading = none.get_future().share();
    } else {
      loading = std::async(std::launch::async, LoadOrWarn, encoding, *found).share();
    }
  }
  return tokenizers;
}

Result<BpeEncoding> Tokenizers::LoadEncoding(Encoding encoding, const fs::path& directory) {
  const EncodingSpec& spec = SpecOf(encoding);
  fs::path path = directory / spec.file_name;
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string contents = std::move(text).str();
  if (Sha256Hex(contents) != spec.sha256) {
    return DataLossError(path.string() + " does not have the expected SHA-256");
  }
  Result<BpeEncoding> loaded = BpeEncoding::Create(encoding, contents);
  if (!loaded.ok()) return loaded.status().WithContext(path.string());
  return loaded;
}

Tokenizers::~Tokenizers() = default;

const BpeEncoding* Tokenizers::Find(Encoding encoding) const {
  const std::optional<BpeEncoding>& loaded = loading_[static_cast<std::size_t>(encoding)].get();
  return loaded ? &*loaded : nullptr;
}

const BpeEncoding* Tokenizers::ForModel(std::string_view model) const {
  std::optional<Encoding> encoding = EncodingForModel(model);
  if (!encoding) {
    WarnUnknownModel(model);
    return nullptr;
  }
  return Find(*encoding);
}

void Tokenizers::WarnUnknownModel(std::string_view model) const {
  std::lock_guard lock(mutex_);
  if (warned_models_.size() >= kMaxWarnedModels || warned_models_.contains(model)) return;
  warned_models_.emplace(model);
  spdlog::warn(
      "token counts for model \"{}\" are estimates (about 4 characters a token): its "
      "encoding is unknown",
      model);
}

}  // namespace sluice::tokens
