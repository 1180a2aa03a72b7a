#include "mock/indent_json.h"

namespace sluice::mock {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The next character at or after `i` that is not whitespace, or '\0' at the end.
char NextSignificant(std::string_view json, std::size_t i) {
  while (i < json.size() && IsSpace(json[i])) ++i;
  return i < json.size() ? json[i] : '\0';
}

void NewLine(std::string& out, int depth) {
  out += '\n';
  out.append(static_cast<std::size_t>(depth < 0 ? 0 : depth) * 2, ' ');
}

// Copies the string literal starting at json[i] (a quote); returns the index after it.
std::size_t CopyString(std::string_view json, std::size_t i, std::string& out) {
  std::size_t start = i++;
  while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
  i = i < json.size() ? i + 1 : json.size();
  out.append(json.substr(start, i - start));
  return i;
}

}  // namespace

std::string IndentJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() * 2);
  int depth = 0;
  for (std::size_t i = 0; i < json.size();) {
    char c = json[i];
    if (c == '"') {
      i = CopyString(json, i, out);
      continue;
    }
    ++i;
    if (IsSpace(c)) continue;
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      out += c;
      if (NextSignificant(json, i) == close) {
        out += close;
        while (json[i] != close) ++i;
        ++i;
      } else {
        NewLine(out, ++depth);
      }
    } else if (c == '}' || c == ']') {
      NewLine(out, --depth);
      out += c;
    } else if (c == ',') {
      out += c;
      NewLine(out, depth);
    } else if (c == ':') {
      out += ": ";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace sluice::mock
