// Entry point of the per-connection session (server_connection.cc): HTTP/1.1 keep-alive,
// limits, timeouts, TLS handshake and the Exchange handed to the handler. Internal to http/.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "http/server_core.h"

namespace sluice::http {

// Takes over an accepted `socket` (whose executor is the connection's own strand), registers
// it with `core` and serves it on that strand until it closes. Thread-safe.
void SpawnConnection(std::shared_ptr<ServerCore> core, boost::asio::ip::tcp::socket socket);

}  // namespace sluice::http
