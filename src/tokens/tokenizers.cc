#include "tokens/tokenizers.h"

#include <spdlog/spdlog.h>

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

std::shared_ptr<const Tokenizers::Loaded> LoadAll(const std::vector<fs::path>& directories) {
  auto loaded = std::make_shared<Tokenizers::Loaded>();
  std::error_code ec;
  auto found = std::find_if(directories.begin(), directories.end(),
                            [&](const fs::path& d) { return fs::is_directory(d, ec); });
  if (found == directories.end()) {
    spdlog::warn("token counts are estimates: vocabularies not found in {}; run scripts/setup.sh",
                 Join(directories));
    return loaded;
  }
  for (std::size_t i = 0; i < kEncodings.size(); ++i) {
    auto start = std::chrono::steady_clock::now();
    Result<BpeEncoding> encoding = Tokenizers::LoadEncoding(kEncodings[i], *found);
    if (!encoding.ok()) {
      spdlog::warn("token counts for {} models are estimates: {}; run scripts/setup.sh",
                   SpecOf(kEncodings[i]).name, encoding.status().message());
      continue;
    }
    (*loaded)[i].emplace(std::move(*encoding));
    spdlog::debug("loaded {} in {} ms", SpecOf(kEncodings[i]).name,
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count());
  }
  return loaded;
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
  auto load = [directories = std::move(directories)] { return LoadAll(directories); };
  return std::unique_ptr<Tokenizers>(
      new Tokenizers(std::async(std::launch::async, std::move(load)).share()));
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
  const Loaded& loaded = *loaded_.get();
  const std::optional<BpeEncoding>& slot = loaded[static_cast<std::size_t>(encoding)];
  return slot ? &*slot : nullptr;
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
