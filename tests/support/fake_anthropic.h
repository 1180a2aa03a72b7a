// FakeAnthropic (tests only): a scripted Anthropic Messages API on 127.0.0.1:0, served by one
// thread over blocking sockets, so it shares no code with sluice's HTTP stack. Every request's
// x-api-key and anthropic-version are checked (401 authentication_error / 400
// invalid_request_error in Anthropic's shape otherwise), its body recorded, and the rest
// answered by the test's script. Each answer closes its connection.
// Threading: the script runs on the server's thread; requests() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"

namespace sluice::test_support {

struct FakeRequest {
  std::string method;
  std::string target;  // "/v1/messages"
  std::string head;    // the request line and header fields, as received
  std::string body;
  // A header's value (name matched in any case); empty when absent.
  std::string Header(const std::string& name) const;
};

struct FakeAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::string headers;  // extra header lines, each ending in "\r\n"
};

// A JSON answer, with optional extra header lines; an SSE answer.
FakeAnswer JsonAnswer(int status, std::string body, std::string headers = "");
FakeAnswer SseAnswer(std::string body);

// Recorded Anthropic bodies for scripts: a Message with one text block, an error envelope, and
// the SSE of a streamed Message with one text block in two deltas.
std::string MessageBody(const std::string& text, int input_tokens, int output_tokens,
                        int cache_read_tokens = 0);
std::string ErrorEnvelope(const std::string& type, const std::string& message);
std::string MessageStream(const std::string& first, const std::string& second);

class FakeAnthropic {
 public:
  using Script = std::function<FakeAnswer(const FakeRequest&)>;

  // Listens and starts serving; requests must carry `api_key`.
  static Result<std::unique_ptr<FakeAnthropic>> Start(std::string api_key, Script script);
  ~FakeAnthropic();
  FakeAnthropic(const FakeAnthropic&) = delete;
  FakeAnthropic& operator=(const FakeAnthropic&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>": a deployment's base_url.
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Every request received so far, in order (rejected ones included).
  std::vector<FakeRequest> requests() const;

 private:
  FakeAnthropic(int fd, std::uint16_t port, std::string api_key, Script script);
  void Serve();
  void Answer(int connection);

  int fd_;
  std::uint16_t port_;
  std::string api_key_;
  Script script_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<FakeRequest> requests_;
  std::thread thread_;
};

}  // namespace sluice::test_support
