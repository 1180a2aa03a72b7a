// Test helper: the real vocabularies from the repository's data/tokenizers (fetched by
// scripts/setup.sh), each loaded once per test binary. A test that needs them is skipped when
// they are absent, or fails when SLUICE_REQUIRE_VOCABULARIES=1 (scripts/test.sh sets it).
#pragma once

#include <gtest/gtest.h>

#include "tokens/bpe_encoding.h"
#include "tokens/tokenizers.h"

namespace sluice::tokens::testing {

// nullptr when the file is absent or does not load.
const BpeEncoding* TestEncoding(Encoding encoding);
// Tokenizers over the test vocabularies, loaded once (never nullptr; may lack encodings).
const Tokenizers& TestTokenizers();
bool VocabulariesRequired();

}  // namespace sluice::tokens::testing

#define SLUICE_ENCODING_OR_SKIP(var, encoding)                                                  \
  const ::sluice::tokens::BpeEncoding* var = ::sluice::tokens::testing::TestEncoding(encoding); \
  if (var == nullptr) {                                                                         \
    if (::sluice::tokens::testing::VocabulariesRequired()) {                                    \
      FAIL() << "vocabularies missing from " SLUICE_VOCABULARY_DIR                              \
                " and SLUICE_REQUIRE_VOCABULARIES=1: run scripts/setup.sh";                     \
    }                                                                                           \
    GTEST_SKIP() << "vocabularies missing from " SLUICE_VOCABULARY_DIR                          \
                    ": run scripts/fetch_vocabularies.sh";                                      \
  }
