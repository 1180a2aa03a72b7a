// ClientTest (tests only): the fixture shared by the client tests: an io_context run until an
// awaited operation completes (bounded, never sleeping), scripted servers and a Client on it.
// Threading: everything runs on the test thread.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "http/client.h"
#include "http/scripted_server.h"

namespace sluice::http::test {

inline constexpr auto kUseTuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Answers every request on the connection with 200 "ok" until the client closes it.
inline boost::asio::awaitable<void> ServeOkForever(Socket& socket, int) {
  boost::beast::flat_buffer buffer;
  RawRequest request;
  while (co_await ReadRequest(socket, buffer, request)) {
    if (!co_await WriteBytes(socket, FixedResponse(200, "ok"))) co_return;
  }
}

class ClientTest : public ::testing::Test {
 protected:
  ~ClientTest() override {
    client_.reset();
    for (auto& server : servers_) server->Stop();
    io_.restart();
    io_.run_for(std::chrono::seconds(
        5));  // lets the stopped scripts unwind; returns as soon as no work is left
  }

  ScriptedServer& Serve(ScriptedServer::Script script) {
    servers_.push_back(std::make_unique<ScriptedServer>(io_.get_executor(), std::move(script)));
    return *servers_.back();
  }

  Client& MakeClient(ClientOptions options = {}) {
    client_ = Client::Create(io_.get_executor(), std::move(options));
    return *client_;
  }

  // Runs the io_context until `done()` (bounded, so a hung test fails instead of hanging).
  void RunUntil(const std::function<bool()>& done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done() && std::chrono::steady_clock::now() < give_up) {
      if (io_.stopped()) io_.restart();
      io_.run_one_until(give_up);
    }
    if (!done()) ADD_FAILURE() << "operation did not finish";
  }

  // Runs a coroutine made by `make` (kept alive by co_spawn) to completion.
  template <typename F>
  auto Run(F make) -> typename std::invoke_result_t<F>::value_type {
    using T = typename std::invoke_result_t<F>::value_type;
    std::optional<T> result;
    boost::asio::co_spawn(io_, std::move(make), [&](std::exception_ptr e, T value) {
      if (e) std::rethrow_exception(e);
      result.emplace(std::move(value));
    });
    RunUntil([&] { return result.has_value(); });
    return result ? std::move(*result) : T{};
  }

  Result<Response> Send(ClientRequest request) {
    return Run([this, request]() { return client_->Send(request); });
  }

  static ClientRequest Get(std::string url) {
    ClientRequest request;
    request.method = "GET";
    request.url = std::move(url);
    return request;
  }

  boost::asio::io_context io_;
  std::vector<std::unique_ptr<ScriptedServer>> servers_;
  std::unique_ptr<Client> client_;
};

}  // namespace sluice::http::test
