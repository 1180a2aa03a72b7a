// The JSON bodies the mock sends, in OpenAI's shapes (chat.completion, chat.completion.chunk,
// text_completion, embeddings list, models list), written by direct string appends because they
// are on the hot path. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock/content_generator.h"

namespace sluice::mock {

// What every object of one answer shares.
struct AnswerMeta {
  std::string_view id;       // "chatcmpl-…" / "cmpl-…"
  std::int64_t created = 0;  // Unix seconds
  std::string_view model;
};

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_tokens = 0;  // of the prompt tokens, served by the prompt cache
};

// Appends `text` as a JSON string literal (quoted and escaped).
void AppendJsonString(std::string& out, std::string_view text);

// {"id","object":"chat.completion","created","model","choices":[{index,message{role,content,
//  refusal,annotations},logprobs,finish_reason}],"usage":{…details},"service_tier",
//  "system_fingerprint"}
std::string ChatCompletionJson(const AnswerMeta& meta, const std::vector<GeneratedText>& choices,
                               Usage usage);

// One chat.completion.chunk with one choice: `role` adds "role":"assistant"; `content` may be
// empty; `finish_reason` empty means null. Always "usage":null.
struct ChunkChoice {
  std::int64_t index = 0;
  bool role = false;
  bool has_content = true;  // false: the delta is {} (the finishing chunk)
  std::string_view content;
  std::string_view finish_reason;
};
std::string ChatChunkJson(const AnswerMeta& meta, const ChunkChoice& choice);
// The last chunk with stream_options.include_usage: "choices":[] and the usage. `object` is
// "chat.completion.chunk" or "text_completion".
std::string UsageChunkJson(const AnswerMeta& meta, std::string_view object, Usage usage);

// {"id","object":"text_completion","created","model","choices":[{text,index,logprobs,
//  finish_reason}],"usage","system_fingerprint"}
std::string CompletionJson(const AnswerMeta& meta, const std::vector<GeneratedText>& choices,
                           Usage usage);
// A streamed text_completion chunk holding one choice's piece of text.
std::string CompletionChunkJson(const AnswerMeta& meta, const ChunkChoice& choice);

// {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}; each
// vector as a float array, or a base64 string when `base64`.
std::string EmbeddingsJson(std::string_view model, const std::vector<std::vector<float>>& vectors,
                           bool base64, std::int64_t prompt_tokens);

// {"object":"list","data":[Model…]} of the models the mock advertises, and one Model object.
std::string ModelsJson();
std::string ModelJson(std::string_view id);

}  // namespace sluice::mock
