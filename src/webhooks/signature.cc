#include "webhooks/signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace sluice::webhooks {

std::string Base64Encode(std::string_view bytes) {
  // EVP_EncodeBlock writes a NUL after the text: room for it, then cut it off.
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return InvalidArgumentError("not base64");
  std::string out(3 * text.size() / 4, '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < 0) return InvalidArgumentError("not base64");
  std::size_t padding = 0;
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
  out.resize(static_cast<std::size_t>(written) - std::min<std::size_t>(padding, 2));
  return out;
}

Result<std::string> DecodeSecret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (!secret.starts_with(kPrefix)) {
    return InvalidArgumentError("a webhook secret starts with whsec_ (then base64)");
  }
  auto key = Base64Decode(secret.substr(kPrefix.size()));
  if (!key.ok()) return InvalidArgumentError("the webhook secret after whsec_ is not base64");
  if (key->size() < 24) {
    return InvalidArgumentError("the webhook secret is shorter than 24 bytes: make one with "
                                "`echo whsec_$(openssl rand -base64 32)`");
  }
  return key;
}

std::string Sign(std::string_view key, std::string_view message_id, std::int64_t timestamp,
                 std::string_view body) {
  std::string content;
  content.reserve(message_id.size() + body.size() + 24);
  content.append(message_id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest, &length);
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<char*>(digest), length));
}

}  // namespace sluice::webhooks
