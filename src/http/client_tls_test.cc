// Client over TLS against a raw asio::ssl server using the test PKI of http/testing: trust via
// extra_ca_file, SNI and name verification, and the failure when the CA is unknown.
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <string>

#include "http/client.h"
#include "http/client_test_fixture.h"
#include "http/testing/test_certificate.h"

namespace sluice::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::ClientTest;
using test::FixedResponse;
using test::kUseTuple;
using test::RawRequest;
using test::ReadRequest;
using test::ScriptedServer;
using test::ServeOkForever;
using test::Socket;
using test::WaitForClose;
using test::WriteBytes;
using ::testing::HasSubstr;

// TLS: a raw asio::ssl server with the test certificate of http/testing.
class TlsClientTest : public ClientTest {
 protected:
  void SetUp() override {
    auto certificate = testing::MakeTestCertificate();
    ASSERT_TRUE(certificate.ok()) << certificate.status();
    certificate_ = *certificate;
    boost::system::error_code ec;
    server_tls_.use_certificate_chain_file(certificate_.chain_file, ec);
    ASSERT_FALSE(ec) << ec.message();
    server_tls_.use_private_key_file(certificate_.private_key_file, asio::ssl::context::pem, ec);
    ASSERT_FALSE(ec) << ec.message();
  }

  ScriptedServer& ServeTls() {
    return Serve([this](Socket& socket, int) -> asio::awaitable<void> {
      asio::ssl::stream<Socket&> tls(socket, server_tls_);
      auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, kUseTuple);
      if (ec) co_return;
      boost::beast::flat_buffer buffer;
      RawRequest request;
      auto [read_ec, read] =
          co_await boost::beast::http::async_read(tls, buffer, request, kUseTuple);
      if (read_ec) co_return;
      std::string response = FixedResponse(200, "secure " + std::string(request["host"]));
      co_await asio::async_write(tls, asio::buffer(response), kUseTuple);
    });
  }

  testing::TestCertificate certificate_;
  asio::ssl::context server_tls_{asio::ssl::context::tls_server};
};

TEST_F(TlsClientTest, TrustedViaExtraCaFileSucceedsByIpAndByName) {
  auto& server = ServeTls();
  ClientOptions options;
  options.extra_ca_file = certificate_.ca_file;
  MakeClient(options);
  const std::string port = std::to_string(server.port());
  Result<Response> by_ip = Send(Get("https://127.0.0.1:" + port + "/"));
  ASSERT_TRUE(by_ip.ok()) << by_ip.status();
  EXPECT_EQ(by_ip->body, "secure 127.0.0.1:" + port);
  // "localhost" goes through the async resolver, SNI and name verification.
  Result<Response> by_name = Send(Get("https://localhost:" + port + "/"));
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->body, "secure localhost:" + port);
}

TEST_F(TlsClientTest, UntrustedCertificateIsUnavailableNamingVerification) {
  auto& server = ServeTls();
  MakeClient();  // system store only: the test CA is unknown
  Result<Response> response = Send(Get("https://127.0.0.1:" + std::to_string(server.port()) + "/"));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("certificate verification failed"));
}

TEST_F(TlsClientTest, UnreadableExtraCaFileFailsHttpsRequests) {
  ClientOptions options;
  options.extra_ca_file = certificate_.directory + "/missing.pem";
  MakeClient(options);
  Result<Response> response = Send(Get("https://127.0.0.1:1/"));
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("extra_ca_file"));
}

}  // namespace
}  // namespace sluice::http
