// RESP2, the Redis wire protocol: a command encoded as an array of bulk strings, and a reply
// parsed from the bytes received so far (incomplete input is not an error: read more and retry).
// Pure functions on plain values; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::store::redis {

struct Reply {
  enum class Type { kStatus, kError, kInteger, kBulk, kNil, kArray };
  Type type = Type::kNil;
  std::string text;  // kStatus, kError, kBulk
  std::int64_t integer = 0;
  std::vector<Reply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

// "*<n>\r\n$<len>\r\n<arg>\r\n..." for `args`.
std::string EncodeCommand(const std::vector<std::string>& args);

// Parses one reply from `input` starting at `*pos`. A complete reply: returned, and `*pos` moves
// past it. Incomplete input: nullopt, `*pos` unchanged. kDataLoss for bytes that are not RESP2.
Result<std::optional<Reply>> ParseReply(std::string_view input, std::size_t* pos);

}  // namespace sluice::store::redis
