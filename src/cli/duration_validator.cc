#include "cli/duration_validator.h"

#include "common/duration.h"

namespace sluice::cli {

CLI::Validator DurationValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        Result<Duration> parsed = ParseDuration(value);
        return parsed.ok() ? std::string() : parsed.status().message();
      },
      "DURATION", "Duration");
}

}  // namespace sluice::cli
