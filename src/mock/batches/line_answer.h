// LineAnswer: what the mock's own handlers answer to one request line of a provider batch, so a
// batch's results are the answers the real-time routes would give. A value type.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sluice::mock {

struct LineAnswer {
  int status = 200;
  std::string body;  // the route's JSON answer (or its error body), one line
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
};

// Answers `body` as the route `url` (/v1/chat/completions, /v1/embeddings, /v1/completions, or
// /v1/messages) would, without rate limits or faults (the batch pool is separate).
using LineAnswerer = std::function<LineAnswer(std::string_view url, std::string_view body)>;

// Makes an id: prefix + `length` random characters.
using IdMaker = std::function<std::string(std::string_view prefix, std::size_t length)>;

}  // namespace sluice::mock
