// MockApi's batch routes: OpenAI's Files and Batches APIs and Anthropic's Message Batches, whose
// lines are answered by the mock's own real-time handlers (no rate limits, no faults: a provider's
// batch pool is separate from its real-time limits).
#include <fmt/format.h>

#include <boost/json.hpp>

#include "mock/answer_builder.h"
#include "mock/body_hash.h"
#include "mock/messages_answer.h"
#include "mock/mock_api.h"

namespace sluice::mock {
namespace {

std::int64_t UnixSeconds(WallTime wall) {
  return std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count();
}

// usage.<in> and usage.<out> of an answer body, 0 when absent.
std::pair<std::int64_t, std::int64_t> UsageOf(std::string_view body, std::string_view in,
                                              std::string_view out) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  const boost::json::object* o = ec ? nullptr : v.if_object();
  const boost::json::value* usage = o ? o->if_contains("usage") : nullptr;
  if (!usage || !usage->is_object()) return {0, 0};
  auto count = [&](std::string_view name) -> std::int64_t {
    const boost::json::value* n = usage->as_object().if_contains(name);
    return n && n->is_int64() ? n->as_int64() : 0;
  };
  return {count(in), count(out)};
}

}  // namespace

LineAnswer MockApi::AnswerLine(std::string_view url, std::string_view body, WallTime wall) {
  LineAnswer answer;
  if (url == "/v1/messages") {
    ParsedMessages parsed = ParseMessagesRequest(body);
    if (parsed.error) {
      answer.status = parsed.error->status;
      answer.body = boost::json::serialize(boost::json::object{
          {"type", "error"},
          {"error", {{"type", parsed.error->type}, {"message", parsed.error->message}}}});
      return answer;
    }
    parsed.request.stream = false;
    MessagesContext context{options_.seed,
                            BodyHash(body),
                            NewId("msg_", 24),
                            NewId("toolu_", 24),
                            {parsed.request.InputTokens(), 0, 0},
                            false};
    MessagesAnswer built = BuildMessagesAnswer(parsed.request, context, latency_);
    answer.body = std::move(built.reply.response.body);
    answer.input_tokens = parsed.request.InputTokens();
    answer.output_tokens = built.output_tokens;
    return answer;
  }
  std::optional<Endpoint> endpoint = EndpointOfPath(url);
  if (!endpoint) {
    answer.status = 400;
    answer.body = http::ErrorBody({400, "invalid_request_error",
                                   fmt::format("The mock does not run {} in batches.", url),
                                   std::nullopt, "url"});
    return answer;
  }
  ParsedRequest parsed = ParseMockRequest(*endpoint, body);
  if (parsed.error) {
    answer.status = parsed.error->status;
    answer.body = http::ErrorBody(*parsed.error);
    return answer;
  }
  parsed.request.stream = false;
  std::string_view prefix = *endpoint == Endpoint::kCompletions ? "cmpl-" : "chatcmpl-";
  AnswerContext context{options_.seed,
                        BodyHash(body),
                        NewId(prefix, 29),
                        UnixSeconds(wall),
                        options_.embedding_dimensions,
                        false};
  Reply reply = BuildAnswer(parsed.request, context, latency_);
  answer.body = std::move(reply.response.body);
  std::tie(answer.input_tokens, answer.output_tokens) =
      UsageOf(answer.body, "prompt_tokens", "completion_tokens");
  return answer;
}

void MockApi::CountBatchLines(const std::vector<BatchLine>& lines) {
  if (lines.empty()) return;
  ++stats_.batches_created;
  for (const BatchLine& line : lines) {
    ++stats_.batch_lines;
    ++body_counts_[BodyHash(line.body)];
  }
}

Reply MockApi::HandleFilesAndBatches(const http::Request& request, TimePoint now, WallTime wall) {
  Reply reply;
  LineAnswerer answer = [&](std::string_view url, std::string_view body) {
    return AnswerLine(url, body, wall);
  };
  IdMaker new_id = [&](std::string_view prefix, std::size_t length) {
    return NewId(prefix, length);
  };
  std::string_view path = request.Path();
  if (path == "/v1/files" || path.starts_with("/v1/files/")) {
    reply.response = files_.Handle(request, UnixSeconds(wall), NewId("file-", 24));
  } else {
    std::vector<BatchLine> lines;
    reply.response =
        openai_batches_.Handle(request, {files_, answer, new_id, now, UnixSeconds(wall)}, &lines);
    CountBatchLines(lines);
  }
  ++(reply.response.status < 300 ? stats_.answered : stats_.rejected);
  return reply;
}

Reply MockApi::HandleMessageBatches(const http::Request& request, TimePoint now, WallTime wall,
                                    const std::string& request_id) {
  Reply reply;
  std::string_view key = request.headers.Get("x-api-key").value_or(BearerToken(request));
  if (options_.required_api_key && key != *options_.required_api_key) {
    ++stats_.unauthorized;
    reply.response =
        AnthropicErrorResponse({401, "authentication_error",
                                key.empty() ? "x-api-key header is required" : "invalid x-api-key",
                                std::nullopt, std::nullopt},
                               request_id);
    return reply;
  }
  LineAnswerer answer = [&](std::string_view url, std::string_view body) {
    return AnswerLine(url, body, wall);
  };
  IdMaker new_id = [&](std::string_view prefix, std::size_t length) {
    return NewId(prefix, length);
  };
  std::string origin = "http://" + std::string(request.headers.Get("host").value_or("127.0.0.1"));
  std::vector<BatchLine> lines;
  reply.response =
      message_batches_.Handle(request, {answer, new_id, now, wall, origin}, request_id, &lines);
  CountBatchLines(lines);
  reply.response.headers.Set("request-id", request_id);
  ++(reply.response.status < 300 ? stats_.answered : stats_.rejected);
  return reply;
}

}  // namespace sluice::mock
