// WriteResponseHead: status line, the handler's fields, then the server's framing fields.
#include "http/response_head.h"

#include <charconv>
#include <string_view>

namespace sluice::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsSafe(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void AppendNumber(std::string& out, std::size_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

}  // namespace

bool StatusHasNoBody(int status) { return status < 200 || status == 204 || status == 304; }

bool WriteResponseHead(const ResponseHeadSpec& spec, const Headers& headers, std::string& out) {
  bool close = spec.close;
  out.clear();
  out.append("HTTP/1.1 ");
  AppendNumber(out, static_cast<std::size_t>(spec.status));
  out.push_back(' ');
  out.append(ReasonPhrase(spec.status));
  out.append("\r\n");
  for (const Headers::Field& field : headers) {
    if (field.name.empty() || !IsSafe(field.name) || !IsSafe(field.value)) continue;
    if (EqualsIgnoreCase(field.name, "connection")) {
      if (EqualsIgnoreCase(field.value, "close")) close = true;
      continue;
    }
    if (EqualsIgnoreCase(field.name, "content-length") ||
        EqualsIgnoreCase(field.name, "transfer-encoding")) {
      continue;
    }
    out.append(field.name).append(": ").append(field.value).append("\r\n");
  }
  if (!StatusHasNoBody(spec.status)) {
    if (spec.content_length) {
      out.append("content-length: ");
      AppendNumber(out, *spec.content_length);
      out.append("\r\n");
    } else {
      out.append("transfer-encoding: chunked\r\n");
    }
  }
  if (close) {
    out.append("connection: close\r\n");
  } else if (spec.keep_alive) {
    out.append("connection: keep-alive\r\n");
  }
  out.append("\r\n");
  return close;
}

}  // namespace sluice::http
