#include "mock/response_json.h"

#include <fmt/format.h>

#include <array>
#include <iterator>

namespace sluice::mock {
namespace {

constexpr std::string_view kFingerprint = "fp_mock0001";

struct KnownModel {
  std::string_view id;
  std::int64_t created;
};
constexpr std::array<KnownModel, 7> kModels = {{{"gpt-4o-mini", 1721172741},
                                                {"gpt-4o", 1715367049},
                                                {"gpt-4.1-mini", 1744318173},
                                                {"o3-mini", 1737146383},
                                                {"gpt-3.5-turbo-instruct", 1692901427},
                                                {"text-embedding-3-small", 1705948997},
                                                {"text-embedding-3-large", 1705953180}}};

void AppendMeta(std::string& out, const AnswerMeta& meta, std::string_view object) {
  out += "{\"id\":";
  AppendJsonString(out, meta.id);
  fmt::format_to(std::back_inserter(out), ",\"object\":\"{}\",\"created\":{},\"model\":", object,
                 meta.created);
  AppendJsonString(out, meta.model);
}

void AppendUsage(std::string& out, Usage u) {
  fmt::format_to(std::back_inserter(out),
                 "{{\"prompt_tokens\":{},\"completion_tokens\":{},\"total_tokens\":{},"
                 "\"prompt_tokens_details\":{{\"cached_tokens\":{},\"audio_tokens\":0}},"
                 "\"completion_tokens_details\":{{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                 "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}}",
                 u.prompt_tokens, u.completion_tokens, u.prompt_tokens + u.completion_tokens,
                 u.cached_tokens);
}

std::string_view FinishReason(const GeneratedText& g) { return g.truncated ? "length" : "stop"; }

void AppendFinishReason(std::string& out, std::string_view reason) {
  out += ",\"finish_reason\":";
  if (reason.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, reason);
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string ChatCompletionJson(const AnswerMeta& meta, const std::vector<GeneratedText>& choices,
                               Usage usage) {
  std::string out;
  out.reserve(512);
  AppendMeta(out, meta, "chat.completion");
  out += ",\"choices\":[";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out),
                   "{{\"index\":{},\"message\":{{\"role\":\"assistant\",\"content\":", i);
    AppendJsonString(out, choices[i].text);
    out += ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null";
    AppendFinishReason(out, FinishReason(choices[i]));
    out += '}';
  }
  out += "],\"usage\":";
  AppendUsage(out, usage);
  fmt::format_to(std::back_inserter(out),
                 ",\"service_tier\":\"default\",\"system_fingerprint\":\"{}\"}}", kFingerprint);
  return out;
}

std::string ChatChunkJson(const AnswerMeta& meta, const ChunkChoice& choice) {
  std::string out;
  out.reserve(256);
  AppendMeta(out, meta, "chat.completion.chunk");
  fmt::format_to(std::back_inserter(out),
                 ",\"service_tier\":\"default\",\"system_fingerprint\":\"{}\",\"choices\":[{{"
                 "\"index\":{},\"delta\":{{",
                 kFingerprint, choice.index);
  if (choice.role) out += "\"role\":\"assistant\",";
  if (choice.has_content) {
    out += "\"content\":";
    AppendJsonString(out, choice.content);
    if (choice.role) out += ",\"refusal\":null";
  } else if (choice.role) {
    out.pop_back();
  }
  out += "},\"logprobs\":null";
  AppendFinishReason(out, choice.finish_reason);
  out += "}],\"usage\":null}";
  return out;
}

std::string UsageChunkJson(const AnswerMeta& meta, std::string_view object, Usage usage) {
  std::string out;
  AppendMeta(out, meta, object);
  fmt::format_to(std::back_inserter(out),
                 ",\"service_tier\":\"default\",\"system_fingerprint\":\"{}\",\"choices\":[],"
                 "\"usage\":",
                 kFingerprint);
  AppendUsage(out, usage);
  out += '}';
  return out;
}

std::string CompletionJson(const AnswerMeta& meta, const std::vector<GeneratedText>& choices,
                           Usage usage) {
  std::string out;
  out.reserve(512);
  AppendMeta(out, meta, "text_completion");
  out += ",\"choices\":[";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"text\":";
    AppendJsonString(out, choices[i].text);
    fmt::format_to(std::back_inserter(out), ",\"index\":{},\"logprobs\":null", i);
    AppendFinishReason(out, FinishReason(choices[i]));
    out += '}';
  }
  out += "],\"usage\":";
  AppendUsage(out, usage);
  fmt::format_to(std::back_inserter(out), ",\"system_fingerprint\":\"{}\"}}", kFingerprint);
  return out;
}

std::string CompletionChunkJson(const AnswerMeta& meta, const ChunkChoice& choice) {
  std::string out;
  AppendMeta(out, meta, "text_completion");
  out += ",\"choices\":[{\"text\":";
  AppendJsonString(out, choice.content);
  fmt::format_to(std::back_inserter(out), ",\"index\":{},\"logprobs\":null", choice.index);
  AppendFinishReason(out, choice.finish_reason);
  fmt::format_to(std::back_inserter(out), "}}],\"system_fingerprint\":\"{}\"}}", kFingerprint);
  return out;
}

std::string EmbeddingsJson(std::string_view model, const std::vector<std::vector<float>>& vectors,
                           bool base64, std::int64_t prompt_tokens) {
  std::string out;
  out.reserve(64 + vectors.size() * (base64 ? 8 : 12) * (vectors.empty() ? 0 : vectors[0].size()));
  out += "{\"object\":\"list\",\"data\":[";
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out),
                   "{{\"object\":\"embedding\",\"index\":{},\"embedding\":", i);
    if (base64) {
      out += '"';
      out += EmbeddingBase64(vectors[i]);
      out += '"';
    } else {
      fmt::format_to(std::back_inserter(out), "[{}]", fmt::join(vectors[i], ","));
    }
    out += '}';
  }
  out += "],\"model\":";
  AppendJsonString(out, model);
  fmt::format_to(std::back_inserter(out),
                 ",\"usage\":{{\"prompt_tokens\":{},\"total_tokens\":{}}}}}", prompt_tokens,
                 prompt_tokens);
  return out;
}

std::string ModelJson(std::string_view id) {
  std::int64_t created = 1700000000;
  std::string_view owner = "mock";
  for (const KnownModel& m : kModels) {
    if (m.id == id) {
      created = m.created;
      owner = "system";
    }
  }
  std::string out = "{\"id\":";
  AppendJsonString(out, id);
  fmt::format_to(std::back_inserter(out),
                 ",\"object\":\"model\",\"created\":{},\"owned_by\":\"{}\"}}", created, owner);
  return out;
}

std::string ModelsJson() {
  std::string out = "{\"object\":\"list\",\"data\":[";
  for (std::size_t i = 0; i < kModels.size(); ++i) {
    if (i > 0) out += ',';
    out += ModelJson(kModels[i].id);
  }
  out += "]}";
  return out;
}

}  // namespace sluice::mock
