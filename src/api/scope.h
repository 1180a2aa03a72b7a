// Scope: whose batches and files a caller reaches — its own tenant's, or, with an admin key
// (keys[].admin), every tenant's. What a caller creates is always its own tenant's. Pure.
#pragma once

#include <string>
#include <string_view>

namespace sluice::api {

struct Scope {
  std::string tenant;  // the caller's own tenant
  bool all = false;    // an admin: every tenant's objects

  bool Sees(std::string_view owner) const { return all || owner == tenant; }
};

}  // namespace sluice::api
