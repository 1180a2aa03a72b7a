#include "support/fake_anthropic.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "support/raw_http.h"

namespace sluice::test_support {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Reads one request (head, then a Content-Length body); false when the peer sent none.
bool ReadRequest(int connection, FakeRequest& request) {
  std::string raw;
  char buffer[8192];
  std::size_t blank = std::string::npos;
  std::size_t length = 0;
  while (true) {
    if (blank == std::string::npos) {
      blank = raw.find("\r\n\r\n");
      if (blank != std::string::npos) {
        request.head = raw.substr(0, blank);
        std::string value = request.Header("content-length");
        length = value.empty() ? 0 : std::strtoul(value.c_str(), nullptr, 10);
      }
    }
    if (blank != std::string::npos && raw.size() >= blank + 4 + length) break;
    pollfd p{connection, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return false;
    ssize_t n = recv(connection, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  request.body = raw.substr(blank + 4, length);
  std::size_t space = request.head.find(' ');
  request.method = request.head.substr(0, space);
  request.target = request.head.substr(space + 1, request.head.find(' ', space + 1) - space - 1);
  return true;
}

void Write(int connection, const FakeAnswer& answer) {
  std::string bytes =
      "HTTP/1.1 " + std::to_string(answer.status) + " X\r\nContent-Type: " + answer.content_type +
      "\r\nContent-Length: " + std::to_string(answer.body.size()) +
      "\r\nrequest-id: req_fake\r\nConnection: close\r\n" + answer.headers + "\r\n" + answer.body;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(connection, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string FakeRequest::Header(const std::string& name) const {
  std::string lower = Lower(head);
  std::string key = "\r\n" + Lower(name) + ":";
  std::size_t at = lower.find(key);
  if (at == std::string::npos) return "";
  std::size_t start = head.find_first_not_of(' ', at + key.size());
  std::size_t end = head.find("\r\n", start);
  return head.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

FakeAnswer JsonAnswer(int status, std::string body, std::string headers) {
  return {status, std::move(body), "application/json", std::move(headers)};
}

FakeAnswer SseAnswer(std::string body) { return {200, std::move(body), "text/event-stream", ""}; }

std::string MessageBody(const std::string& text, int input_tokens, int output_tokens,
                        int cache_read_tokens) {
  return R"({"id":"msg_fake","type":"message","role":"assistant","model":"claude-fake",)"
         R"("content":[{"type":"text","text":")" +
         text + R"("}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":)" +
         std::to_string(input_tokens) +
         R"(,"cache_creation_input_tokens":0,"cache_read_input_tokens":)" +
         std::to_string(cache_read_tokens) + R"(,"output_tokens":)" +
         std::to_string(output_tokens) + "}}";
}

std::string ErrorEnvelope(const std::string& type, const std::string& message) {
  return R"({"type":"error","error":{"type":")" + type + R"(","message":")" + message +
         R"("},"request_id":"req_fake"})";
}

std::string MessageStream(const std::string& first, const std::string& second) {
  auto event = [](const std::string& name, const std::string& data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  };
  auto delta = [](const std::string& text) {
    return R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":")" +
           text + R"("}})";
  };
  return event("message_start",
               R"({"type":"message_start","message":{"id":"msg_fake","type":"message",)"
               R"("role":"assistant","model":"claude-fake","content":[],"usage":)"
               R"({"input_tokens":12,"cache_read_input_tokens":0,"output_tokens":1}}})") +
         event(
             "content_block_start",
             R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
         event("ping", R"({"type":"ping"})") + event("content_block_delta", delta(first)) +
         event("content_block_delta", delta(second)) +
         event("content_block_stop", R"({"type":"content_block_stop","index":0})") +
         event(
             "message_delta",
             R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}})") +
         event("message_stop", R"({"type":"message_stop"})");
}

Result<std::unique_ptr<FakeAnthropic>> FakeAnthropic::Start(std::string api_key, Script script) {
  SLUICE_ASSIGN_OR_RETURN(ListeningSocket listening, ListenOnAnyPort());
  listen(listening.fd, 64);  // room for the connections sluice opens at once
  return std::unique_ptr<FakeAnthropic>(
      new FakeAnthropic(listening.fd, listening.port, std::move(api_key), std::move(script)));
}

FakeAnthropic::FakeAnthropic(int fd, std::uint16_t port, std::string api_key, Script script)
    : fd_(fd), port_(port), api_key_(std::move(api_key)), script_(std::move(script)) {
  thread_ = std::thread([this] { Serve(); });
}

FakeAnthropic::~FakeAnthropic() {
  stopping_ = true;
  thread_.join();
  close(fd_);
}

std::vector<FakeRequest> FakeAnthropic::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeAnthropic::Serve() {
  while (!stopping_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int connection = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    Answer(connection);
    close(connection);
  }
}

void FakeAnthropic::Answer(int connection) {
  FakeRequest request;
  if (!ReadRequest(connection, request)) return;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
  }
  if (request.Header("x-api-key") != api_key_) {
    Write(connection, JsonAnswer(401, ErrorEnvelope("authentication_error", "invalid x-api-key")));
  } else if (request.Header("anthropic-version") != "2023-06-01") {
    Write(connection, JsonAnswer(400, ErrorEnvelope("invalid_request_error",
                                                    "anthropic-version: header is required")));
  } else if (request.method != "POST" || request.target != "/v1/messages") {
    Write(connection, JsonAnswer(404, ErrorEnvelope("not_found_error", "Not found")));
  } else {
    Write(connection, script_(request));
  }
}

}  // namespace sluice::test_support
