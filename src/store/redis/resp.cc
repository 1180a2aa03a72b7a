#include "store/redis/resp.h"

#include <charconv>

namespace sluice::store::redis {
namespace {

constexpr int kMaxDepth = 16;  // our scripts return arrays nested a few levels at most

Status Malformed(std::string_view what) {
  return DataLossError("malformed reply from Redis: " + std::string(what));
}

// The line at `*pos` without its "\r\n", or nullopt when its end has not arrived yet.
std::optional<std::string_view> Line(std::string_view input, std::size_t* pos) {
  std::size_t end = input.find("\r\n", *pos);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view line = input.substr(*pos, end - *pos);
  *pos = end + 2;
  return line;
}

Result<std::int64_t> Integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return Malformed("bad integer");
  return value;
}

Result<std::optional<Reply>> Parse(std::string_view input, std::size_t* pos, int depth) {
  if (depth > kMaxDepth) return Malformed("nested too deeply");
  std::size_t at = *pos;
  if (at >= input.size()) return std::optional<Reply>();
  char kind = input[at++];
  auto line = Line(input, &at);
  if (!line) return std::optional<Reply>();
  Reply reply;
  switch (kind) {
    case '+':
      reply.type = Reply::Type::kStatus;
      reply.text = *line;
      break;
    case '-':
      reply.type = Reply::Type::kError;
      reply.text = *line;
      break;
    case ':': {
      reply.type = Reply::Type::kInteger;
      SLUICE_ASSIGN_OR_RETURN(reply.integer, Integer(*line));
      break;
    }
    case '$': {
      SLUICE_ASSIGN_OR_RETURN(std::int64_t length, Integer(*line));
      if (length < 0) break;  // nil
      if (input.size() < at + static_cast<std::size_t>(length) + 2) return std::optional<Reply>();
      if (input.substr(at + length, 2) != "\r\n") return Malformed("bulk string without CRLF");
      reply.type = Reply::Type::kBulk;
      reply.text = input.substr(at, length);
      at += length + 2;
      break;
    }
    case '*': {
      SLUICE_ASSIGN_OR_RETURN(std::int64_t count, Integer(*line));
      if (count < 0) break;  // nil
      reply.type = Reply::Type::kArray;
      for (std::int64_t i = 0; i < count; ++i) {
        SLUICE_ASSIGN_OR_RETURN(auto element, Parse(input, &at, depth + 1));
        if (!element) return std::optional<Reply>();
        reply.elements.push_back(std::move(*element));
      }
      break;
    }
    default:
      return Malformed(std::string("unknown type byte '") + kind + "'");
  }
  *pos = at;
  return std::optional<Reply>(std::move(reply));
}

}  // namespace

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n";
    out += arg;
    out += "\r\n";
  }
  return out;
}

Result<std::optional<Reply>> ParseReply(std::string_view input, std::size_t* pos) {
  return Parse(input, pos, 0);
}

}  // namespace sluice::store::redis
