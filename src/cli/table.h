// Plain-text tables for the terminal: a header row and rows, columns padded to their widest cell
// (UTF-8 aware), two spaces apart, no trailing spaces. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::cli {

using TableRow = std::vector<std::string>;

// The table, one line per row with '\n' after each; rows shorter than the header are padded.
std::string FormatTable(const TableRow& header, const std::vector<TableRow>& rows);

// "2026-12-07 01:40:12" (UTC) for a Unix time; "-" for 0.
std::string FormatTime(std::int64_t unix_seconds);

// "14s", "2m05s", "1h02m": a duration as the progress lines show it.
std::string FormatDuration(double seconds);

}  // namespace sluice::cli
