#include "mock/fault_injector.h"

namespace sluice::mock {

std::string_view FaultName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNone:
      return "none";
    case FaultKind::kHttp500:
      return "http_500";
    case FaultKind::kHttp503:
      return "http_503";
    case FaultKind::kReset:
      return "reset";
    case FaultKind::kHang:
      return "hang";
    case FaultKind::kMalformed:
      return "malformed";
  }
  return "none";
}

FaultInjector::FaultInjector(FaultRates rates, std::uint64_t seed)
    : rates_(rates),
      any_(rates.http_500 > 0 || rates.http_503 > 0 || rates.reset > 0 || rates.hang > 0 ||
           rates.malformed > 0),
      random_(seed) {}

FaultKind FaultInjector::Draw() {
  if (!any_) return FaultKind::kNone;
  double u = random_.Uniform();
  const std::pair<double, FaultKind> table[] = {{rates_.http_500, FaultKind::kHttp500},
                                                {rates_.http_503, FaultKind::kHttp503},
                                                {rates_.reset, FaultKind::kReset},
                                                {rates_.hang, FaultKind::kHang},
                                                {rates_.malformed, FaultKind::kMalformed}};
  for (const auto& [rate, kind] : table) {
    if (u < rate) return kind;
    u -= rate;
  }
  return FaultKind::kNone;
}

}  // namespace sluice::mock
