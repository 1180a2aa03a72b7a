#include "tokens/pre_tokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string>

namespace sluice::tokens {

struct PreTokenizer::Code {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Code() { pcre2_code_free(code); }
};

struct PreTokenizer::MatchData {
  pcre2_match_data* data = nullptr;
};

Result<PreTokenizer> PreTokenizer::Create(std::string_view pattern) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  // DOLLAR_ENDONLY: tiktoken's `$` is the end of the text, never before a final newline.
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                    PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &error,
                    &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return InvalidArgumentError("pre-tokenizer pattern at " + std::to_string(offset) + ": " +
                                reinterpret_cast<const char*>(message));
  }
  auto owned = std::make_shared<Code>();
  owned->code = code;
  owned->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  return PreTokenizer(std::move(owned));
}

std::unique_ptr<PreTokenizer::MatchData, void (*)(PreTokenizer::MatchData*)>
PreTokenizer::NewMatchData() const {
  auto* data = new MatchData{pcre2_match_data_create_from_pattern(code_->code, nullptr)};
  return {data, [](MatchData* d) {
            pcre2_match_data_free(d->data);
            delete d;
          }};
}

bool PreTokenizer::NextMatch(std::string_view text, std::size_t start, MatchData& data,
                             std::size_t& begin, std::size_t& end) const {
  auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  int rc = code_->jit
               ? pcre2_jit_match(code_->code, subject, text.size(), start, 0, data.data, nullptr)
               : pcre2_match(code_->code, subject, text.size(), start, 0, data.data, nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) {
    begin = end = text.size();
    return true;
  }
  if (rc < 0) return false;
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.data);
  begin = ovector[0];
  end = ovector[1];
  return true;
}

}  // namespace sluice::tokens
