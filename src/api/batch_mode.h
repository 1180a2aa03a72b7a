// How a batch created through the API runs: its metadata.sluice_mode (realtime, provider or
// auto), else the gateway's batch_mode; kept in the Batch object as sluice.mode. Pure functions;
// thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "config/config.h"
#include "http/message.h"

namespace sluice::api {

// The mode `metadata` asks for (nullopt when it names none), or the 400 naming
// metadata.sluice_mode for a value that is not a mode.
struct RequestedMode {
  std::optional<config::BatchMode> mode;
  std::optional<http::Response> error;
};
RequestedMode ModeOfMetadata(const boost::json::value& metadata);

// Records `mode` in the object (sluice.mode) / reads it back (realtime when absent).
void SetMode(boost::json::object& batch, config::BatchMode mode);
config::BatchMode ModeOf(const boost::json::object& batch);

}  // namespace sluice::api
