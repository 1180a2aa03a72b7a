// The encoder against tests/fixtures/tokens/corpus.json: several hundred varied strings whose
// ids a reference implementation computed (see make_corpus.mjs there).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "tokens/bpe_encoding.h"
#include "tokens/test_vocabularies.h"

namespace sluice::tokens {
namespace {

struct Case {
  std::string text;
  std::vector<Rank> o200k;
  std::vector<Rank> cl100k;
};

std::vector<Rank> Ids(simdjson::dom::element array) {
  std::vector<Rank> ids;
  for (simdjson::dom::element id : array.get_array()) {
    ids.push_back(static_cast<Rank>(id.get_uint64().value()));
  }
  return ids;
}

std::vector<Case> LoadCorpus() {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.load(SLUICE_TOKENS_FIXTURES_DIR "/corpus.json").value();
  std::vector<Case> cases;
  for (simdjson::dom::element entry : root["cases"].get_array()) {
    cases.push_back({std::string(entry["text"].get_string().value()), Ids(entry["o200k_base"]),
                     Ids(entry["cl100k_base"])});
  }
  return cases;
}

TEST(BpeCorpusTest, MatchesTheReferenceOnEveryString) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  SLUICE_ENCODING_OR_SKIP(cl100k, Encoding::kCl100kBase);
  std::vector<Case> cases = LoadCorpus();
  ASSERT_GE(cases.size(), 200u);
  for (const Case& c : cases) {
    EXPECT_EQ(o200k->Encode(c.text), c.o200k) << "o200k_base: \"" << c.text << '"';
    EXPECT_EQ(cl100k->Encode(c.text), c.cl100k) << "cl100k_base: \"" << c.text << '"';
    EXPECT_EQ(o200k->Count(c.text), static_cast<std::int64_t>(c.o200k.size())) << c.text;
    EXPECT_EQ(cl100k->Count(c.text), static_cast<std::int64_t>(c.cl100k.size())) << c.text;
  }
}

TEST(BpeCorpusTest, TheWholeCorpusAsOneTextCountsAsItsParts) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  std::string all;
  for (const Case& c : LoadCorpus()) all += c.text;
  EXPECT_EQ(o200k->Count(all), static_cast<std::int64_t>(o200k->Encode(all).size()));
}

}  // namespace
}  // namespace sluice::tokens
