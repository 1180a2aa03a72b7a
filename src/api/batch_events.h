// BatchEvents: GET /v1/batches/{id}/events — a batch's changes as Server-Sent Events, for
// dashboards and scripts that would otherwise poll. The stream opens with the batch as it is
// (event `status`), then at most once per `interval` sends the batch again when it changed
// (event `status` when its status did, `progress` when only its counts and timestamps did), and
// ends after the event that carries a terminal status (completed, failed, expired, cancelled).
// Each event's data is the whole Batch object, as GET /v1/batches/{id} returns it. A comment
// line every `keep_alive` with nothing to say keeps proxies from closing the stream and finds
// clients that left. An unknown id (or a batch out of `scope`) is a 404 before any stream.
// Threading: on the io executor of the BatchesApi it reads.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "api/batches_api.h"
#include "common/clock.h"
#include "http/server.h"

namespace sluice::api {

struct BatchEventsOptions {
  Duration interval = std::chrono::seconds(1);
  Duration keep_alive = std::chrono::seconds(15);
};

boost::asio::awaitable<void> StreamBatchEvents(http::Exchange& exchange, BatchesApi& batches,
                                               Clock& clock, std::string id, Scope scope,
                                               BatchEventsOptions options = {});

// One SSE event: "event: <name>\ndata: <data>\n\n" (`data` holds no newline: compact JSON).
std::string SseEvent(std::string_view name, std::string_view data);

}  // namespace sluice::api
