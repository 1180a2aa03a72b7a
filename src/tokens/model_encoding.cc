#include "tokens/model_encoding.h"

#include <algorithm>
#include <string>

namespace sluice::tokens {
namespace {

struct Family {
  std::string_view prefix;
  Encoding encoding;
};

// The o200k_base families come first: "gpt-4.1" must not be taken for "gpt-4".
constexpr Family kFamilies[] = {
    {"gpt-4o", Encoding::kO200kBase},
    {"chatgpt-4o", Encoding::kO200kBase},
    {"gpt-4.1", Encoding::kO200kBase},
    {"gpt-4.5", Encoding::kO200kBase},
    {"o1", Encoding::kO200kBase},
    {"o3", Encoding::kO200kBase},
    {"o4", Encoding::kO200kBase},
    {"gpt-5", Encoding::kO200kBase},
    {"gpt-4", Encoding::kCl100kBase},
    {"gpt-3.5", Encoding::kCl100kBase},
    {"gpt-35", Encoding::kCl100kBase},
    {"text-embedding-3", Encoding::kCl100kBase},
    {"text-embedding-ada-002", Encoding::kCl100kBase},
};

bool IsBoundary(std::string_view rest) {
  return rest.empty() || rest[0] == '-' || rest[0] == '.' || rest[0] == ':';
}

}  // namespace

std::optional<Encoding> EncodingForModel(std::string_view model) {
  if (std::size_t slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);
  }
  std::string name(model);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view view = name;
  if (view.starts_with("ft:")) view.remove_prefix(3);
  for (const Family& family : kFamilies) {
    if (view.starts_with(family.prefix) && IsBoundary(view.substr(family.prefix.size()))) {
      return family.encoding;
    }
  }
  return std::nullopt;
}

}  // namespace sluice::tokens
