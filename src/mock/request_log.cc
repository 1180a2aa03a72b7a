#include "mock/request_log.h"

#include <fmt/format.h>

namespace sluice::mock {
namespace {

constexpr std::size_t kMaxLabel = 64;

double Milliseconds(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string Label(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t\n\r");
  if (start == std::string_view::npos) return "-";
  text.remove_prefix(start);
  std::size_t end = text.find_first_of(" \t\n\r");
  std::string label(text.substr(0, std::min(end, kMaxLabel)));
  for (char& c : label) {
    if (static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  return label;
}

}  // namespace

void RequestLog::Add(TimePoint arrived, Duration answer_after, int status, std::int64_t charged,
                     std::string_view text) {
  entries_.push_back({arrived, answer_after, status, charged, Label(text)});
}

std::string RequestLog::ToTsv() const {
  std::string out = "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel\n";
  if (entries_.empty()) return out;
  TimePoint start = entries_.front().arrived;
  for (const Entry& e : entries_) {
    double arrived = Milliseconds(e.arrived - start);
    out += fmt::format("{:.3f}\t{:.3f}\t{}\t{}\t{}\n", arrived,
                       arrived + Milliseconds(e.answer_after), e.status, e.charged, e.label);
  }
  return out;
}

}  // namespace sluice::mock
