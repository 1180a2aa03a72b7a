// FaultInjector: decides, per admitted request, whether it fails and how (500, 503, reset, hang,
// malformed body), from the configured rates and a seeded Random, so a run replays exactly.
// Thread-compatible (one owner).
#pragma once

#include <string_view>

#include "common/random.h"
#include "mock/mock_options.h"

namespace sluice::mock {

enum class FaultKind { kNone, kHttp500, kHttp503, kReset, kHang, kMalformed };

std::string_view FaultName(FaultKind kind);  // "none", "http_500", "http_503", "reset", ...

class FaultInjector {
 public:
  // `rates` must be valid (each in 0..1, sum <= 1; see ValidateMockOptions).
  FaultInjector(FaultRates rates, std::uint64_t seed);

  // One draw: each fault with its own probability, otherwise kNone. Draws nothing from the
  // random source when every rate is zero (the common, fast case).
  FaultKind Draw();

 private:
  FaultRates rates_;
  bool any_;
  Random random_;
};

}  // namespace sluice::mock
