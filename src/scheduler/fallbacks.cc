#include "scheduler/fallbacks.h"

#include <algorithm>

namespace sluice::scheduler {

std::optional<std::string> Fallbacks::Next(const std::vector<std::string>& tried,
                                           FallbackClass failure) const {
  for (auto model = tried.rbegin(); model != tried.rend(); ++model) {
    auto routes = routes_.find(*model);
    if (routes == routes_.end()) continue;
    for (const FallbackRoute& route : routes->second) {
      bool applies = std::find(route.on.begin(), route.on.end(), failure) != route.on.end();
      bool fresh = std::find(tried.begin(), tried.end(), route.model) == tried.end();
      if (applies && fresh) return route.model;
    }
  }
  return std::nullopt;
}

}  // namespace sluice::scheduler
