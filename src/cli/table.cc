#include "cli/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "cost/mode_choice.h"

namespace sluice::cli {
namespace {

// Code points, so that a name with accents lines up.
std::size_t Width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string FormatTable(const TableRow& header, const std::vector<TableRow>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const TableRow& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  };
  measure(header);
  for (const TableRow& row : rows) measure(row);
  auto line = [&](const TableRow& row) {
    std::string text;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      text += cell;
      if (i + 1 < widths.size()) text += std::string(widths[i] - Width(cell) + 2, ' ');
    }
    while (text.ends_with(' ')) text.pop_back();
    return text + "\n";
  };
  std::string out = line(header);
  for (const TableRow& row : rows) out += line(row);
  return out;
}

std::string FormatTime(std::int64_t unix_seconds) {
  if (unix_seconds <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
  return text;
}

std::string FormatDuration(double seconds) {
  return cost::DescribeDuration(
      std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds)));
}

}  // namespace sluice::cli
