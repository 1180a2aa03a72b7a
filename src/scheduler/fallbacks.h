// Fallbacks: for each model, the models to try instead when a request's final answer from it is
// of a given class (config's `fallbacks:`), and the choice of the next one. Shared by batch
// items (the dispatcher) and the proxy. Immutable after construction; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fallback_class.h"

namespace sluice::scheduler {

struct FallbackRoute {
  std::string model;
  std::vector<FallbackClass> on;
};

class Fallbacks {
 public:
  Fallbacks() = default;
  // By model name, its fallbacks in the order they are tried.
  explicit Fallbacks(std::map<std::string, std::vector<FallbackRoute>, std::less<>> routes)
      : routes_(std::move(routes)) {}

  // The model to try next for a request that has been tried on `tried` (in order, the client's
  // model first) and whose last answer was of class `failure`: the first fallback for that class
  // of the last model tried that is not in `tried`, else of the model before it, and so on back
  // to the client's model (a fallback's own fallbacks come before its siblings). nullopt when
  // none is left. Never a model already tried.
  std::optional<std::string> Next(const std::vector<std::string>& tried,
                                  FallbackClass failure) const;

  bool empty() const { return routes_.empty(); }

 private:
  std::map<std::string, std::vector<FallbackRoute>, std::less<>> routes_;
};

}  // namespace sluice::scheduler
