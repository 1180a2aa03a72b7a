#include "api/batch_events.h"

#include <boost/json.hpp>

#include "api/batch_object.h"
#include "http/sleep.h"

namespace sluice::api {
namespace json = boost::json;

std::string SseEvent(std::string_view name, std::string_view data) {
  std::string event;
  event.reserve(name.size() + data.size() + 16);
  event.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
  return event;
}

boost::asio::awaitable<void> StreamBatchEvents(http::Exchange& exchange, BatchesApi& batches,
                                               Clock& clock, std::string id, Scope scope,
                                               BatchEventsOptions options) {
  std::string sent_body;    // the batch as last sent
  std::string sent_status;  // its status then
  bool begun = false;
  TimePoint last_write = clock.Now();
  while (true) {
    http::Response answer = co_await batches.Get(id, scope);
    if (answer.status != 200) {
      // Before the stream: the API's error. After it began (the store failed meanwhile): the
      // client sees the stream end without a terminal event and may reconnect.
      if (!begun) {
        co_await exchange.Respond(std::move(answer));
      } else {
        co_await exchange.EndStream();
      }
      co_return;
    }
    if (!begun) {
      http::Headers headers;
      headers.Set("content-type", "text/event-stream");
      headers.Set("cache-control", "no-cache");
      if (!(co_await exchange.BeginStream(200, std::move(headers))).ok()) co_return;
      begun = true;
    }
    boost::system::error_code ec;
    json::value parsed = json::parse(answer.body, ec);
    std::string status = !ec && parsed.is_object() ? std::string(StatusOf(parsed.get_object())) : "";
    std::string chunk;
    if (answer.body != sent_body) {
      chunk = SseEvent(status != sent_status ? "status" : "progress", answer.body);
      sent_body = std::move(answer.body);
      sent_status = status;
    } else if (clock.Now() - last_write >= options.keep_alive) {
      chunk = ": keep-alive\n\n";
    }
    if (!chunk.empty()) {
      if (!(co_await exchange.WriteChunk(chunk)).ok()) co_return;  // the client left
      last_write = clock.Now();
    }
    if (IsTerminal(status) || exchange.draining()) {
      co_await exchange.EndStream();
      co_return;
    }
    if (!(co_await http::SleepFor(clock, options.interval)).ok()) co_return;
  }
}

}  // namespace sluice::api
