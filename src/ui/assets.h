// The dashboard's static files (HTML, script, styles, the vendored chart library), built into
// the binary by cmake/EmbedAssets.cmake from src/ui/assets/ and src/ui/vendor/. Immutable data;
// thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace sluice::ui {

struct Asset {
  std::string_view name;  // the file name under /ui/, e.g. "app.js"
  std::string_view body;
};

extern const std::span<const Asset> kAssets;

// The asset called `name`, or null.
const Asset* FindAsset(std::string_view name);

// The Content-Type its name's extension calls for (text/html; charset=utf-8, ...).
std::string_view ContentTypeOf(std::string_view name);

}  // namespace sluice::ui
