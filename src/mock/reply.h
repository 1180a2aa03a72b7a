// Reply: what the mock decided to do with one request, computed by the pure MockApi and carried
// out by MockProvider's connection coroutine (waits, writes, resets). A value type.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "http/message.h"
#include "mock/fault_injector.h"

namespace sluice::mock {

// One server-sent event ("data: …\n\n") and the generation time spent before it is sent.
struct StreamEvent {
  std::string data;
  Duration delay{0};
};

struct Reply {
  // The whole response, or (stream) the status and headers of the head.
  http::Response response;
  bool stream = false;
  std::vector<StreamEvent> events;  // stream only, in order
  // Waited before the head is sent: time to first byte, plus generation time when not streaming.
  Duration delay{0};
  // kReset: send the head and part of the body/stream, then reset the connection.
  // kHang: never answer; hold the connection until drain. Other faults are already in `response`.
  FaultKind fault = FaultKind::kNone;
};

}  // namespace sluice::mock
