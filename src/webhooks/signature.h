// Standard Webhooks signatures (www.standardwebhooks.com, the scheme OpenAI's webhooks and SDKs
// use): a secret "whsec_<base64 key>", and for each message the header
// `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::webhooks {

// The key bytes of a "whsec_..." secret; kInvalidArgument for another prefix, bad base64, or a
// key shorter than 24 bytes (Standard Webhooks asks for 24 to 64).
Result<std::string> DecodeSecret(std::string_view secret);

// "v1,<base64 signature>" of one message with the decoded `key`.
std::string Sign(std::string_view key, std::string_view message_id, std::int64_t timestamp,
                 std::string_view body);

// Base64, standard alphabet, padded; Base64Decode: kInvalidArgument for text that is not.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace sluice::webhooks
