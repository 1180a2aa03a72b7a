// OpenAiStreamDecoder: the StreamDecoder of OpenAI's SSE (chat.completion.chunk and
// text_completion events, then "data: [DONE]"). The bytes pass to the client unchanged; the
// limit hints come from the head, the usage from the chunk that carries a `usage` object
// (stream_options.include_usage), however its JSON is spaced.
// Threading: one per stream (see StreamDecoder).
#pragma once

#include "http/sse.h"
#include "providers/provider.h"

namespace sluice::providers {

class OpenAiStreamDecoder final : public StreamDecoder {
 public:
  OpenAiStreamDecoder(int status, const http::Headers& headers);

  std::string Feed(std::string_view piece) override;
  Outcome Finish(const Status& ended) override;

 private:
  http::SseParser events_;
  Outcome outcome_;
};

}  // namespace sluice::providers
