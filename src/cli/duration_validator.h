// A CLI11 validator for duration flags ("300ms", "1.5s"), so a bad value is a usage error with
// the flag's name. Stateless.
#pragma once

#include <CLI/Error.hpp>
#include <CLI/Validators.hpp>

namespace sluice::cli {

// Accepts what ParseDuration accepts; otherwise CLI11 reports ParseDuration's message.
CLI::Validator DurationValidator();

}  // namespace sluice::cli
