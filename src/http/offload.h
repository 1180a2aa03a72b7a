// Offload: runs blocking work (SQLite, file I/O) on another executor — the store's one blocking
// thread — and resumes the calling coroutine on its own executor with the result, so nothing
// blocks an event loop.
// Threading: `work` runs on `worker`; the awaiting coroutine resumes on `back`.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

namespace sluice::http {

// co_await Offload<R>(worker, back, work): `work()` (returning R) on `worker`, its result on
// `back`. Not a coroutine itself, and callers pass named callables: g++ 12 mishandles temporaries
// inside co_await expressions.
template <typename R, typename Work>
boost::asio::awaitable<R> Offload(boost::asio::any_io_executor worker,
                                  boost::asio::any_io_executor back, Work work) {
  namespace asio = boost::asio;
  return asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      [worker, back](auto handler, Work w) {
        asio::post(worker, [w = std::move(w), handler = std::move(handler), back]() mutable {
          R result = w();
          asio::post(back, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      asio::use_awaitable, std::move(work));
}

}  // namespace sluice::http
