#include "cli/api_views.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string_view>

namespace sluice::cli {
namespace json = boost::json;

std::string Text(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "-";
}

std::int64_t Number(const json::object& object, const char* key) {
  std::string_view path(key);
  const json::object* at = &object;
  while (true) {
    std::size_t dot = path.find('.');
    const json::value* value = at->if_contains(path.substr(0, dot));
    if (value == nullptr) return 0;
    if (dot == std::string_view::npos) return value->is_int64() ? value->get_int64() : 0;
    if (!value->is_object()) return 0;
    at = &value->get_object();
    path.remove_prefix(dot + 1);
  }
}

namespace {

struct Counts {
  std::int64_t total, completed, failed;
  std::int64_t done() const { return completed + failed; }
};

Counts CountsOf(const json::object& batch) {
  return {Number(batch, "request_counts.total"), Number(batch, "request_counts.completed"),
          Number(batch, "request_counts.failed")};
}

}  // namespace

TableRow BatchListHeader() { return {"ID", "STATUS", "ENDPOINT", "DONE", "FAILED", "CREATED"}; }

TableRow BatchRow(const json::object& batch) {
  Counts c = CountsOf(batch);
  return {Text(batch, "id"),
          Text(batch, "status"),
          Text(batch, "endpoint"),
          fmt::format("{}/{}", c.done(), c.total),
          std::to_string(c.failed),
          FormatTime(Number(batch, "created_at"))};
}

std::string BatchDetails(const json::object& batch) {
  Counts c = CountsOf(batch);
  std::string text;
  auto line = [&](std::string_view name, const std::string& value) {
    text += fmt::format("{:<15} {}\n", std::string(name) + ":", value);
  };
  line("id", Text(batch, "id"));
  line("status", Text(batch, "status"));
  line("endpoint", Text(batch, "endpoint"));
  line("requests", fmt::format("{}/{} done, {} failed", c.done(), c.total, c.failed));
  line("input file", Text(batch, "input_file_id"));
  line("output file", Text(batch, "output_file_id"));
  line("error file", Text(batch, "error_file_id"));
  line("created", FormatTime(Number(batch, "created_at")));
  line("expires", FormatTime(Number(batch, "expires_at")));
  for (const char* at : {"completed_at", "failed_at", "expired_at", "cancelled_at"}) {
    if (Number(batch, at) > 0) {
      std::string name(at);
      line(name.substr(0, name.size() - 3), FormatTime(Number(batch, at)));
    }
  }
  const json::value* errors = batch.if_contains("errors");
  if (errors != nullptr && errors->is_object()) {
    const json::value* data = errors->get_object().if_contains("data");
    if (data != nullptr && data->is_array()) {
      for (const json::value& error : data->get_array()) {
        if (error.is_object()) line("error", Text(error.get_object(), "message"));
      }
    }
  }
  return text;
}

TableRow FileListHeader() { return {"ID", "PURPOSE", "BYTES", "CREATED", "EXPIRES", "FILENAME"}; }

TableRow FileRow(const json::object& file) {
  return {Text(file, "id"),
          Text(file, "purpose"),
          std::to_string(Number(file, "bytes")),
          FormatTime(Number(file, "created_at")),
          FormatTime(Number(file, "expires_at")),
          Text(file, "filename")};
}

std::string FileDetails(const json::object& file) {
  std::string text;
  TableRow header = FileListHeader();
  TableRow row = FileRow(file);
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name = header[i];
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    text += fmt::format("{:<9} {}\n", name + ":", row[i]);
  }
  return text;
}

bool IsTerminal(const std::string& status) {
  return status == "completed" || status == "failed" || status == "expired" ||
         status == "cancelled";
}

int WaitExitCode(const std::string& status) {
  if (status == "completed") return 0;
  if (status == "expired") return 3;
  if (status == "cancelled") return 4;
  return 1;
}

std::string WaitLine(const json::object& batch, double requests_per_second) {
  constexpr int kBarWidth = 20;
  Counts c = CountsOf(batch);
  double share = c.total > 0 ? static_cast<double>(c.done()) / static_cast<double>(c.total) : 0;
  int filled = static_cast<int>(share * kBarWidth);
  std::string line = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] ";
  line += fmt::format("{}/{} {:.0f}%", c.done(), c.total, share * 100);
  if (c.failed > 0) line += fmt::format("  {} failed", c.failed);
  if (requests_per_second > 0) {
    line += fmt::format("  {:.1f} req/s", requests_per_second);
    double left = static_cast<double>(c.total - c.done()) / requests_per_second;
    line += "  ETA " + FormatDuration(left);
  }
  return line + "  " + Text(batch, "status");
}

}  // namespace sluice::cli
