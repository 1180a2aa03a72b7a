// TlsClientContext: the client's one OpenSSL context, built once per Client: peer verification
// against the system trust store plus an optional extra CA file. Immutable after creation and
// shared by every TLS connection of the client. Threading: used from the client's executor only.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/result.h"

namespace sluice::http {

struct TlsClientContext {
  boost::asio::ssl::context context{boost::asio::ssl::context::tls_client};
  bool verify_peer = true;
};

// Creates the context. kInvalidArgument when extra_ca_file (if non-empty) cannot be loaded,
// kInternal when OpenSSL cannot set up a context at all.
Result<std::shared_ptr<TlsClientContext>> MakeTlsClientContext(const std::string& extra_ca_file,
                                                               bool verify_peer);

}  // namespace sluice::http
