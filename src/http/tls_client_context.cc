// MakeTlsClientContext; see tls_client_context.h. Asio's context constructor throws when
// OpenSSL fails; that exception is caught here, at the boundary.
#include "http/tls_client_context.h"

#include <boost/system/error_code.hpp>
#include <exception>

namespace sluice::http {

Result<std::shared_ptr<TlsClientContext>> MakeTlsClientContext(const std::string& extra_ca_file,
                                                               bool verify_peer) {
  std::shared_ptr<TlsClientContext> tls;
  try {
    tls = std::make_shared<TlsClientContext>();
  } catch (const std::exception& e) {
    return InternalError(std::string("cannot create a TLS client context: ") + e.what());
  }
  tls->verify_peer = verify_peer;
  boost::system::error_code ec;
  tls->context.set_options(
      boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
          boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
          boost::asio::ssl::context::no_tlsv1_1,
      ec);
  if (ec) return InternalError("cannot set TLS options: " + ec.message());
  tls->context.set_default_verify_paths(ec);
  if (ec) return InternalError("cannot load the system trust store: " + ec.message());
  if (!extra_ca_file.empty()) {
    tls->context.load_verify_file(extra_ca_file, ec);
    if (ec) {
      return InvalidArgumentError("cannot load extra_ca_file \"" + extra_ca_file +
                                  "\": " + ec.message());
    }
  }
  tls->context.set_verify_mode(
      verify_peer ? boost::asio::ssl::verify_peer : boost::asio::ssl::verify_none, ec);
  if (ec) return InternalError("cannot set the TLS verify mode: " + ec.message());
  return tls;
}

}  // namespace sluice::http
