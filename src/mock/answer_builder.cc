#include "mock/answer_builder.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "mock/content_generator.h"
#include "mock/response_json.h"

namespace sluice::mock {
namespace {

std::vector<GeneratedText> GenerateChoices(const MockRequest& r, const AnswerContext& c) {
  std::vector<GeneratedText> choices;
  choices.reserve(static_cast<std::size_t>(r.n));
  for (std::int64_t i = 0; i < r.n; ++i) {
    choices.push_back(GenerateText({c.seed, c.body_hash, i, r.echo_text, r.max_tokens}));
  }
  return choices;
}

Usage UsageOf(const MockRequest& r, const std::vector<GeneratedText>& choices) {
  Usage u{r.PromptTokens(), 0, r.cached_tokens};
  for (const GeneratedText& g : choices) u.completion_tokens += g.tokens;
  return u;
}

std::int64_t LongestChoice(const std::vector<GeneratedText>& choices) {
  std::int64_t longest = 0;
  for (const GeneratedText& g : choices) longest = std::max(longest, g.tokens);
  return longest;
}

std::string Event(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 8);
  out += "data: ";
  out += json;
  out += "\n\n";
  return out;
}

std::string Cut(std::string_view json) { return std::string(json.substr(0, json.size() / 2)); }

Reply JsonReply(std::string body, bool malformed) {
  Reply reply;
  reply.response = http::JsonResponse(200, malformed ? Cut(body) : std::move(body));
  return reply;
}

Reply Whole(const MockRequest& r, const AnswerContext& c, LatencyModel& latency) {
  std::vector<GeneratedText> choices = GenerateChoices(r, c);
  AnswerMeta meta{c.id, c.created, r.model};
  std::string body = r.endpoint == Endpoint::kChatCompletions
                         ? ChatCompletionJson(meta, choices, UsageOf(r, choices))
                         : CompletionJson(meta, choices, UsageOf(r, choices));
  Reply reply = JsonReply(std::move(body), c.malformed);
  reply.delay = latency.FirstByte() + latency.Tokens(LongestChoice(choices));
  return reply;
}

std::string ChunkJson(const MockRequest& r, const AnswerMeta& meta, const ChunkChoice& choice) {
  return r.endpoint == Endpoint::kChatCompletions ? ChatChunkJson(meta, choice)
                                                  : CompletionChunkJson(meta, choice);
}

// Token rounds: in round t every choice that has a t-th token sends it; one token's generation
// time passes before each round.
void AppendTokenEvents(const MockRequest& r, const AnswerMeta& meta,
                       const std::vector<GeneratedText>& choices, LatencyModel& latency,
                       std::vector<StreamEvent>& events) {
  std::vector<std::vector<std::string_view>> tokens;
  for (const GeneratedText& g : choices) tokens.push_back(SplitTokens(g.text));
  for (std::size_t t = 0; t < static_cast<std::size_t>(LongestChoice(choices)); ++t) {
    Duration delay = latency.Tokens(1);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (t >= tokens[i].size()) continue;
      ChunkChoice piece{static_cast<std::int64_t>(i), false, true, tokens[i][t], ""};
      events.push_back({Event(ChunkJson(r, meta, piece)), delay});
      delay = Duration::zero();
    }
  }
}

Reply Streamed(const MockRequest& r, const AnswerContext& c, LatencyModel& latency) {
  std::vector<GeneratedText> choices = GenerateChoices(r, c);
  AnswerMeta meta{c.id, c.created, r.model};
  bool chat = r.endpoint == Endpoint::kChatCompletions;
  Reply reply;
  reply.stream = true;
  reply.delay = latency.FirstByte();
  reply.response.headers.Set("content-type", "text/event-stream; charset=utf-8");
  if (chat) {  // the opening chunk carries the role and empty content, as OpenAI's does
    for (std::int64_t i = 0; i < r.n; ++i) {
      reply.events.push_back({Event(ChatChunkJson(meta, {i, true, true, "", ""})), {}});
    }
  }
  AppendTokenEvents(r, meta, choices, latency, reply.events);
  for (std::size_t i = 0; i < choices.size(); ++i) {
    ChunkChoice end{static_cast<std::int64_t>(i), false, !chat, "",
                    choices[i].truncated ? "length" : "stop"};
    reply.events.push_back({Event(ChunkJson(r, meta, end)), {}});
  }
  if (r.include_usage) {
    std::string_view object = chat ? "chat.completion.chunk" : "text_completion";
    reply.events.push_back({Event(UsageChunkJson(meta, object, UsageOf(r, choices))), {}});
  }
  reply.events.push_back({"data: [DONE]\n\n", {}});
  if (c.malformed) reply.events[1].data = "data: " + Cut(reply.events[1].data.substr(6)) + "\n\n";
  return reply;
}

Reply Embeddings(const MockRequest& r, const AnswerContext& c, LatencyModel& latency) {
  std::int64_t dimensions = r.dimensions.value_or(c.default_dimensions);
  std::vector<std::vector<float>> vectors;
  vectors.reserve(r.input_hashes.size());
  for (std::uint64_t h : r.input_hashes)
    vectors.push_back(GenerateEmbedding(c.seed, h, dimensions));
  Reply reply =
      JsonReply(EmbeddingsJson(r.model, vectors, r.base64, r.PromptTokens()), c.malformed);
  reply.delay = latency.FirstByte();
  return reply;
}

}  // namespace

Reply BuildAnswer(const MockRequest& request, const AnswerContext& context, LatencyModel& latency) {
  if (request.endpoint == Endpoint::kEmbeddings) return Embeddings(request, context, latency);
  if (request.stream) return Streamed(request, context, latency);
  return Whole(request, context, latency);
}

}  // namespace sluice::mock
