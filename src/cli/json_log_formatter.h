// JsonLogFormatter: formats each spdlog record as one JSON object on one line,
// {"ts":"2026-01-01T00:00:00.123Z","level":"info","msg":"..."}, for log collectors.
// Stateless; spdlog calls it under its sink's lock.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace sluice::cli {

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace sluice::cli
