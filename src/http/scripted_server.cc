// ScriptedServer and its script helpers; see scripted_server.h.
#include "http/scripted_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <set>

namespace sluice::http::test {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

struct ScriptedServer::State {
  State(asio::any_io_executor executor, Script s) : acceptor(executor), script(std::move(s)) {}
  tcp::acceptor acceptor;
  Script script;
  std::set<Socket*> open;
  int accepted = 0;
  int max_concurrent = 0;
  bool stopped = false;
};

ScriptedServer::ScriptedServer(asio::any_io_executor executor, Script script)
    : state_(std::make_shared<State>(executor, std::move(script))) {
  tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
  error_code ec;
  state_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state_->acceptor.bind(endpoint, ec);
  if (!ec) state_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    state_->stopped = true;
    return;
  }
  asio::co_spawn(executor, AcceptLoop(state_), asio::detached);
}

ScriptedServer::~ScriptedServer() { Stop(); }

std::uint16_t ScriptedServer::port() const {
  error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string ScriptedServer::Url(std::string_view target) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(target);
}

int ScriptedServer::accepted() const { return state_->accepted; }
int ScriptedServer::max_concurrent() const { return state_->max_concurrent; }

void ScriptedServer::Stop() {
  state_->stopped = true;
  error_code ec;
  state_->acceptor.close(ec);
  for (Socket* socket : state_->open) socket->close(ec);
}

asio::awaitable<void> ScriptedServer::AcceptLoop(std::shared_ptr<State> state) {
  while (!state->stopped) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kUseTuple);
    if (ec) co_return;
    int index = state->accepted++;
    asio::co_spawn(state->acceptor.get_executor(), Serve(state, std::move(socket), index),
                   asio::detached);
  }
}

asio::awaitable<void> ScriptedServer::Serve(std::shared_ptr<State> state, Socket socket,
                                            int index) {
  state->open.insert(&socket);
  state->max_concurrent = std::max(state->max_concurrent, static_cast<int>(state->open.size()));
  co_await state->script(socket, index);
  state->open.erase(&socket);
  error_code ec;
  socket.close(ec);
}

asio::awaitable<bool> ReadRequest(Socket& socket, boost::beast::flat_buffer& buffer,
                                  RawRequest& request) {
  request = {};
  auto [ec, read] = co_await boost::beast::http::async_read(socket, buffer, request, kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> WriteBytes(Socket& socket, std::string bytes) {
  auto [ec, written] = co_await asio::async_write(socket, asio::buffer(bytes), kUseTuple);
  co_return !ec;
}

asio::awaitable<void> WaitForClose(Socket& socket) {
  char scratch[4096];
  while (true) {
    auto [ec, read] = co_await socket.async_read_some(asio::buffer(scratch), kUseTuple);
    if (ec) co_return;
  }
}

void ResetConnection(Socket& socket) {
  error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
}

std::string FixedResponse(int status, std::string_view body, std::string_view extra_headers) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

}  // namespace sluice::http::test
