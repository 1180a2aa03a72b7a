// MakeTlsServerContext: the OpenSSL context a TLS Server presents (certificate chain + key from
// PEM files, TLS 1.2+). Internal to http/. The context is immutable once built and may be shared
// by every connection.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "common/result.h"
#include "http/server.h"

namespace sluice::http {

// kInvalidArgument naming the file when the chain or key cannot be read or parsed, or when the
// key does not belong to the certificate. Never throws.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeTlsServerContext(
    const TlsServerOptions& options);

}  // namespace sluice::http
