#include "common/trace_context.h"

#include "common/ids.h"

namespace sluice {
namespace {

constexpr std::size_t kVersion00Size = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2
constexpr std::uint8_t kSampled = 0x01;

bool IsLowerHex(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool AllZero(std::string_view text) {
  return text.find_first_not_of('0') == std::string_view::npos;
}

std::uint8_t HexByte(std::string_view two) {
  auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  return static_cast<std::uint8_t>(digit(two[0]) * 16 + digit(two[1]));
}

}  // namespace

std::optional<TraceParent> ParseTraceparent(std::string_view header) {
  if (header.size() < kVersion00Size) return std::nullopt;
  std::string_view version = header.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" ? header.size() != kVersion00Size
                      : header.size() > kVersion00Size && header[kVersion00Size] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  std::string_view trace_id = header.substr(3, 32);
  std::string_view parent_id = header.substr(36, 16);
  std::string_view flags = header.substr(53, 2);
  if (!IsLowerHex(trace_id) || !IsLowerHex(parent_id) || !IsLowerHex(flags)) return std::nullopt;
  if (AllZero(trace_id) || AllZero(parent_id)) return std::nullopt;
  TraceParent parent;
  parent.trace_id = trace_id;
  parent.parent_id = parent_id;
  parent.flags = HexByte(flags);
  if (version != "00") parent.flags &= kSampled;
  return parent;
}

std::string FormatTraceparent(const TraceParent& parent) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string flags{kHex[parent.flags >> 4], kHex[parent.flags & 0x0f]};
  return "00-" + parent.trace_id + "-" + parent.parent_id + "-" + flags;
}

TraceParent NewTrace() {
  TraceParent trace;
  trace.trace_id = NewHexId(32);
  trace.parent_id = NewHexId(16);
  return trace;
}

TraceParent ChildOf(const TraceParent& parent) {
  TraceParent child = parent;
  child.parent_id = NewHexId(16);
  return child;
}

}  // namespace sluice
