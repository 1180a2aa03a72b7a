// SseParser and FormatSseData; see sse.h. The parser follows the WHATWG "event stream
// interpretation" algorithm: https://html.spec.whatwg.org/multipage/server-sent-events.html
#include "http/sse.h"

#include <algorithm>
#include <utility>

namespace sluice::http {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

std::vector<SseEvent> SseParser::Feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  if (at_start_) {
    // The BOM may itself arrive split across calls: hold its bytes until it is decided.
    std::size_t take = std::min(bytes.size(), kBom.size() - bom_prefix_.size());
    bom_prefix_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (kBom.starts_with(bom_prefix_) && bom_prefix_.size() < kBom.size()) return out;
    at_start_ = false;
    std::string held = std::move(bom_prefix_);
    bom_prefix_.clear();
    if (held != kBom) out = Feed(held);
  }
  if (bytes.empty()) return out;
  std::size_t start = 0;
  if (after_cr_ && bytes.front() == '\n') start = 1;
  after_cr_ = false;
  for (std::size_t end = bytes.find_first_of("\r\n", start); end != std::string_view::npos;
       end = bytes.find_first_of("\r\n", start)) {
    std::string_view piece = bytes.substr(start, end - start);
    if (line_.empty()) {
      ProcessLine(piece, out);
    } else {
      line_.append(piece);
      ProcessLine(line_, out);
      line_.clear();
    }
    start = end + 1;
    if (bytes[end] == '\r') {
      if (start == bytes.size()) {
        after_cr_ = true;
      } else if (bytes[start] == '\n') {
        ++start;
      }
    }
  }
  line_.append(bytes.substr(start));
  return out;
}

bool SseParser::HasPartialEvent() const { return !line_.empty() || has_data_ || !event_.empty(); }

void SseParser::ProcessLine(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    Dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // a comment (often a keep-alive)
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    ProcessField(line, {});
    return;
  }
  std::string_view value = line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  ProcessField(line.substr(0, colon), value);
}

void SseParser::ProcessField(std::string_view name, std::string_view value) {
  if (name == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (name == "event") {
    event_.assign(value);
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // `retry` and unknown fields are ignored: reconnection is the caller's business.
}

void SseParser::Dispatch(std::vector<SseEvent>& out) {
  if (has_data_) {
    out.push_back(SseEvent{std::move(event_), std::move(data_), last_id_});
  }
  event_.clear();
  data_.clear();
  has_data_ = false;
}

std::string FormatSseData(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 8);
  std::size_t start = 0;
  while (true) {
    std::size_t end = json.find_first_of("\r\n", start);
    out.append("data: ");
    out.append(json.substr(start, end == std::string_view::npos ? end : end - start));
    out.push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (json[end] == '\r' && start < json.size() && json[start] == '\n') ++start;
  }
  out.push_back('\n');
  return out;
}

}  // namespace sluice::http
