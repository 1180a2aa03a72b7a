#include "tokens/test_vocabularies.h"

#include <cstdlib>
#include <string_view>

namespace sluice::tokens::testing {

const BpeEncoding* TestEncoding(Encoding encoding) { return TestTokenizers().Find(encoding); }

const Tokenizers& TestTokenizers() {
  static const std::unique_ptr<Tokenizers> tokenizers = [] {
    auto opened = Tokenizers::Open({SLUICE_VOCABULARY_DIR});
    // Wait for the loads: a loading thread still running when the test exits would use
    // statics that are already destroyed.
    opened->Find(Encoding::kO200kBase);
    opened->Find(Encoding::kCl100kBase);
    return opened;
  }();
  return *tokenizers;
}

bool VocabulariesRequired() {
  const char* value = std::getenv("SLUICE_REQUIRE_VOCABULARIES");
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace sluice::tokens::testing
