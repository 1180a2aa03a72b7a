// FallbackClass: the kinds of final failure a model's fallbacks are configured for (config's
// `fallbacks: [{model, on: [...]}]`), shared by the config, the classifier of upstream outcomes
// (providers/fallback_class_of.h) and the engine. Plain values; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace sluice {

enum class FallbackClass {
  kRateLimited,    // no deployment had room in time (proxy), or 429s outlasted the retries
  kUnavailable,    // 5xx / 529 / timeouts / resets / refused connections after the retries
  kContextWindow,  // the request does not fit the model's context window
  kContentPolicy,  // the provider's content filter refused the request or its answer
};

inline constexpr std::array<FallbackClass, 4> kAllFallbackClasses = {
    FallbackClass::kRateLimited, FallbackClass::kUnavailable, FallbackClass::kContextWindow,
    FallbackClass::kContentPolicy};

// "rate_limited", "unavailable", "context_window", "content_policy".
constexpr std::string_view FallbackClassName(FallbackClass c) {
  switch (c) {
    case FallbackClass::kRateLimited:
      return "rate_limited";
    case FallbackClass::kUnavailable:
      return "unavailable";
    case FallbackClass::kContextWindow:
      return "context_window";
    case FallbackClass::kContentPolicy:
      return "content_policy";
  }
  return "";
}

// The class named `name` exactly; nullopt for anything else.
constexpr std::optional<FallbackClass> ParseFallbackClass(std::string_view name) {
  for (FallbackClass c : kAllFallbackClasses) {
    if (FallbackClassName(c) == name) return c;
  }
  return std::nullopt;
}

}  // namespace sluice
