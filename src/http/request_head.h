// WriteRequestHead: serializes the head of a client request (request line and fields) into a
// reused buffer, with the framing fields the client owns. Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/client.h"
#include "http/url.h"

namespace sluice::http {

// "sluice/<project version>".
std::string_view UserAgent();

// kInvalidArgument for a method or field name that is not an HTTP token, or a field value with
// CR, LF or NUL (header injection); OK otherwise.
Status ValidateRequestHead(const ClientRequest& request);

// Replaces `out` (keeping its capacity) with "METHOD target HTTP/1.1\r\n", the caller's fields,
// then Host (unless the caller set one), user-agent (unless the caller set one) and
// Content-Length (always ours: a caller's Content-Length or Transfer-Encoding is dropped;
// omitted for a GET or HEAD without body), then "\r\n". Precondition: the request passed
// ValidateRequestHead.
void WriteRequestHead(const ClientRequest& request, const Url& url, std::string& out);

}  // namespace sluice::http
