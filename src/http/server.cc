// Server::Start and the Server facade. The work happens in ServerCore (listening, drain) and
// server_connection.cc (one session per connection).
#include "http/server.h"

#include <boost/asio/ip/address.hpp>
#include <utility>

#include "http/server_core.h"
#include "http/tls_server_context.h"

namespace sluice::http {
namespace asio = boost::asio;

namespace {

class BeastServer final : public Server {
 public:
  explicit BeastServer(std::shared_ptr<ServerCore> core) : core_(std::move(core)) {}
  // Connections still open are closed; they finish on the io_context.
  ~BeastServer() override { core_->Shutdown(); }

  std::uint16_t port() const override { return core_->port(); }
  void Drain(std::function<void()> done) override { core_->Drain(std::move(done)); }

 private:
  std::shared_ptr<ServerCore> core_;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(asio::io_context& io, ServerOptions options,
                                              Handler handler) {
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return InvalidArgumentError("cannot listen on \"" + options.host + "\": not an IP address");
  }
  if (!handler) return InvalidArgumentError("server needs a handler");
  std::unique_ptr<asio::ssl::context> tls;
  if (options.tls) {
    SLUICE_ASSIGN_OR_RETURN(tls, MakeTlsServerContext(*options.tls));
  }
  asio::ip::tcp::endpoint endpoint(address, options.port);
  auto core =
      std::make_shared<ServerCore>(io, std::move(options), std::move(handler), std::move(tls));
  SLUICE_RETURN_IF_ERROR(core->Listen(endpoint));
  core->StartAccepting();
  return std::unique_ptr<Server>(std::make_unique<BeastServer>(std::move(core)));
}

}  // namespace sluice::http
