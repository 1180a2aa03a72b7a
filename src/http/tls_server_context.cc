// Builds the server-side TLS context; OpenSSL failures become kInvalidArgument with the file name.
#include "http/tls_server_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <exception>
#include <string>

namespace sluice::http {
namespace ssl = boost::asio::ssl;

namespace {

Status FileError(const char* what, const std::string& path, const boost::system::error_code& ec) {
  ERR_clear_error();
  return InvalidArgumentError(std::string("TLS ") + what + " \"" + path + "\": " + ec.message());
}

Result<std::unique_ptr<ssl::context>> NewContext() {
  try {
    return std::make_unique<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception& e) {
    return InternalError(std::string("cannot create TLS context: ") + e.what());
  }
}

}  // namespace

Result<std::unique_ptr<ssl::context>> MakeTlsServerContext(const TlsServerOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<ssl::context> context, NewContext());
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (ec) return InternalError("cannot configure TLS context: " + ec.message());
  context->use_certificate_chain_file(options.certificate_chain_file, ec);
  if (ec) {
    return FileError("certificate chain", options.certificate_chain_file, ec);
  }
  context->use_private_key_file(options.private_key_file, ssl::context::pem, ec);
  if (ec) {
    return FileError("private key", options.private_key_file, ec);
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return InvalidArgumentError("TLS private key \"" + options.private_key_file +
                                "\" does not match certificate \"" +
                                options.certificate_chain_file + "\"");
  }
  return context;
}

}  // namespace sluice::http
