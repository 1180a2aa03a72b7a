#include "http/header_value.h"

#include <cctype>

#include "http/message.h"

namespace sluice::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads a quoted string starting at text[0] == '"'; advances `text` past it.
std::optional<std::string> ReadQuoted(std::string_view& text) {
  std::string out;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      text.remove_prefix(i + 1);
      return out;
    }
    if (c == '\\' && i + 1 < text.size()) c = text[++i];
    out.push_back(c);
  }
  return std::nullopt;
}

}  // namespace

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string_view> HeaderValue::Param(std::string_view name) const {
  for (const auto& [key, text] : params) {
    if (key == name) return std::string_view(text);
  }
  return std::nullopt;
}

std::optional<HeaderValue> ParseHeaderValue(std::string_view text) {
  HeaderValue out;
  std::size_t semi = text.find(';');
  out.value = Lower(TrimSpaces(text.substr(0, semi)));
  text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
  while (!TrimSpaces(text).empty()) {
    text = TrimSpaces(text);
    std::size_t end = text.find_first_of("=;");
    std::string name = Lower(TrimSpaces(text.substr(0, end)));
    if (name.empty()) return std::nullopt;
    std::string value;
    if (end != std::string_view::npos && text[end] == '=') {
      text = TrimSpaces(text.substr(end + 1));
      if (!text.empty() && text.front() == '"') {
        std::optional<std::string> quoted = ReadQuoted(text);
        if (!quoted) return std::nullopt;
        value = std::move(*quoted);
        end = text.find(';');
      } else {
        end = text.find(';');
        value = std::string(TrimSpaces(text.substr(0, end)));
      }
    }
    out.params.emplace_back(std::move(name), std::move(value));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

std::optional<std::string> DecodeExtendedValue(std::string_view text) {
  std::size_t first = text.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = text.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return PercentDecode(text.substr(second + 1));
}

}  // namespace sluice::http
