#include "tokens/test_vocabularies.h"

#include <cstdlib>
#include <string_view>

namespace sluice::tokens::testing {

const BpeEncoding* TestEncoding(Encoding encoding) { return TestTokenizers().Find(encoding); }

const Tokenizers& TestTokenizers() {
  static const std::unique_ptr<Tokenizers> tokenizers = Tokenizers::Open({SLUICE_VOCABULARY_DIR});
  return *tokenizers;
}

bool VocabulariesRequired() {
  const char* value = std::getenv("SLUICE_REQUIRE_VOCABULARIES");
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace sluice::tokens::testing
