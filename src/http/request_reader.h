// RequestReader: the read side of a server connection without the I/O — the connection's read
// buffer, the Beast parser of the current request (with the server's limits), the parser a
// streamed body is read with, and the decisions about what a parse error or a header means (431,
// 413, 400, 501, 417). Internal to http/. Thread-compatible: owned by one connection.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/server.h"

namespace sluice::http {

enum class ReadOutcome {
  kRequest,   // a complete request is ready
  kClose,     // close quietly (client gone, timeout, drain)
  kRejected,  // an error response was sent; close after it
};

// An error response to send instead of handling the request.
struct Rejection {
  int status = 400;
  std::string message;
};

class RequestReader {
 public:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using StreamParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

  explicit RequestReader(const ServerOptions& options);

  boost::beast::flat_buffer& buffer() { return buffer_; }
  bool HasBufferedBytes() const { return buffer_.size() > 0; }

  // Starts a new request: a fresh parser carrying the header limit. Its body limit admits the
  // larger of the two body limits until CheckBodySize knows which one applies.
  Parser& NewParser();
  Parser& parser() { return *parser_; }

  // What a failed header or body read means: a Rejection (431, 413, 400) when the client is
  // still there to be told, std::nullopt when the connection should just close.
  std::optional<Rejection> ClassifyError(const boost::system::error_code& ec) const;
  // Checks a parsed header: unsupported transfer codings (501), chunked not last (400), an
  // expectation other than 100-continue (417).
  std::optional<Rejection> CheckHeader() const;
  // The request's method, target and header fields, with an empty body (call once the header is
  // parsed). Also records keep-alive, HTTP/1.0, HEAD and expect: 100-continue.
  Request TakeHead();
  // Applies the body limit of an ordinary (`streamed` false) or streamed body: a declared
  // content-length above it is a 413 Rejection now; a chunked body is cut off at it later.
  std::optional<Rejection> CheckBodySize(bool streamed);
  // The client sent `expect: 100-continue` and the body has not been read yet.
  bool WantsContinue() const;
  // Moves the parsed body out (call once the parser is done).
  std::string TakeBody();

  // Moves the parsed header into the parser a streamed body is read with, piece by piece (call
  // after TakeHead and CheckBodySize(true), before any body byte is parsed).
  StreamParser& BeginStreaming();
  StreamParser& stream_parser() { return *stream_parser_; }
  // The body limit of streamed requests, for error messages.
  std::uint64_t max_streamed_body_bytes() const { return max_streamed_body_bytes_; }
  bool keep_alive() const { return keep_alive_; }
  bool http10() const { return http10_; }
  bool head_method() const { return head_method_; }
  bool expects_continue() const { return expects_continue_; }

 private:
  const std::size_t max_header_bytes_;
  const std::size_t max_body_bytes_;
  const std::uint64_t max_streamed_body_bytes_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::optional<StreamParser> stream_parser_;
  bool keep_alive_ = true;
  bool http10_ = false;
  bool head_method_ = false;
  bool expects_continue_ = false;
};

}  // namespace sluice::http
