// SHA-256 of a byte string, as lowercase hex (OpenSSL). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sluice::tokens {

std::string Sha256Hex(std::string_view bytes);

}  // namespace sluice::tokens
