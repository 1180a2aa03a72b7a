// WriteRequestHead; see request_head.h.
#include "http/request_head.h"

#include <algorithm>
#include <cctype>

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "unknown"
#endif

namespace sluice::http {
namespace {

bool IsToken(std::string_view s) {
  constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != kExtra.npos;
  });
}

bool IsFieldValue(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == s.npos;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

std::string_view UserAgent() { return "sluice/" SLUICE_VERSION; }

Status ValidateRequestHead(const ClientRequest& request) {
  if (!IsToken(request.method)) {
    return InvalidArgumentError("bad HTTP method \"" + request.method + "\"");
  }
  for (const Headers::Field& field : request.headers) {
    if (!IsToken(field.name)) return InvalidArgumentError("bad header name \"" + field.name + "\"");
    if (!IsFieldValue(field.value)) {
      return InvalidArgumentError("header " + field.name + " has a line break or NUL in its value");
    }
  }
  return OkStatus();
}

void WriteRequestHead(const ClientRequest& request, const Url& url, std::string& out) {
  out.clear();
  out.append(request.method);
  out.push_back(' ');
  out.append(url.target);
  out.append(" HTTP/1.1\r\n");
  bool has_host = false;
  bool has_user_agent = false;
  for (const Headers::Field& field : request.headers) {
    if (EqualsIgnoreCase(field.name, "content-length") ||
        EqualsIgnoreCase(field.name, "transfer-encoding")) {
      continue;
    }
    has_host = has_host || EqualsIgnoreCase(field.name, "host");
    has_user_agent = has_user_agent || EqualsIgnoreCase(field.name, "user-agent");
    AppendField(out, field.name, field.value);
  }
  if (!has_host) AppendField(out, "Host", url.host_header);
  if (!has_user_agent) AppendField(out, "user-agent", UserAgent());
  bool bodiless = request.body.empty() && (request.method == "GET" || request.method == "HEAD");
  if (!bodiless) AppendField(out, "Content-Length", std::to_string(request.body.size()));
  out.append("\r\n");
}

}  // namespace sluice::http
