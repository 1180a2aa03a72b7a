// Delivery: one webhook event on its way to one URL, and how it is kept — as a small JSON file
// per event in the outbox directory (Outbox), written before the event's batch is saved in its
// terminal state and removed once the receiver answered 2xx (or the event is given up), so a
// restart delivers what was pending. An event's id is derived from its batch and status, so a
// batch finalized twice (a crash between the outbox and the store) sends the same id twice and
// receivers drop the repeat. Pure data and blocking file calls; thread-compatible.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace sluice::webhooks {

struct Delivery {
  std::string event_id;  // "evt_batch_abc_completed": the webhook-id header
  std::string url;
  std::string body;              // the event, compact JSON
  std::int64_t created_at = 0;   // Unix seconds: when the event happened
  int attempts = 0;              // tries made so far
  std::int64_t next_attempt_ms = 0;  // Unix milliseconds; 0: now
};

// The event for a batch that reached a terminal status, as OpenAI's webhooks send it:
// {"id":"evt_…","object":"event","created_at":…,"type":"batch.completed","data":{"id":"batch_…"}}.
// nullopt for a status that is not terminal.
std::optional<Delivery> BatchEvent(const boost::json::object& batch, const std::string& url,
                                   WallTime now);

class Outbox {
 public:
  explicit Outbox(std::string directory) : directory_(std::move(directory)) {}

  // Writes (or replaces) the delivery's file durably: a temporary file, fsync, rename.
  Status Put(const Delivery& delivery) const;
  Status Remove(const std::string& event_id) const;
  // Every pending delivery; a file that cannot be read or parsed is reported in `unreadable` and
  // left in place.
  Result<std::vector<Delivery>> Load(std::vector<std::string>* unreadable = nullptr) const;

 private:
  std::string Path(const std::string& event_id) const;
  std::string directory_;
};

}  // namespace sluice::webhooks
