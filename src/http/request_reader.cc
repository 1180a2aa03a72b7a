// RequestReader: limits, error classification and header checks for incoming requests.
#include "http/request_reader.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <cstdint>
#include <limits>

namespace sluice::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

RequestReader::RequestReader(const ServerOptions& options)
    : max_header_bytes_(options.max_header_bytes),
      max_body_bytes_(options.max_body_bytes),
      max_streamed_body_bytes_(options.stream_body ? options.max_streamed_body_bytes : 0) {}

RequestReader::Parser& RequestReader::NewParser() {
  stream_parser_.reset();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(max_header_bytes_, std::numeric_limits<std::uint32_t>::max())));
  // Beast checks a content-length against this limit as the header ends; CheckBodySize then
  // applies the limit of the kind of body this request turns out to have.
  parser_->body_limit(std::max<std::uint64_t>(max_body_bytes_, max_streamed_body_bytes_));
  return *parser_;
}

std::optional<Rejection> RequestReader::ClassifyError(const boost::system::error_code& ec) const {
  if (ec == bhttp::error::header_limit) {
    return Rejection{431, "request header fields exceed the limit of " +
                              std::to_string(max_header_bytes_) + " bytes"};
  }
  if (ec == bhttp::error::body_limit) {
    return Rejection{
        413, "request body exceeds the limit of " + std::to_string(max_body_bytes_) + " bytes"};
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return Rejection{400, "malformed HTTP request: " + ec.message()};
  }
  return std::nullopt;
}

std::optional<Rejection> RequestReader::CheckHeader() const {
  const auto& request = parser_->get();
  if (auto te = request.find(bhttp::field::transfer_encoding); te != request.end()) {
    if (!parser_->chunked()) {
      return Rejection{400, "transfer-encoding must end with chunked"};
    }
    bhttp::token_list codings(te->value());
    if (request.count(bhttp::field::transfer_encoding) > 1 ||
        std::next(codings.begin()) != codings.end()) {
      return Rejection{501, "unsupported transfer-encoding: " + std::string(te->value())};
    }
  }
  if (auto expect = request.find(bhttp::field::expect); expect != request.end()) {
    if (!beast::iequals(expect->value(), "100-continue")) {
      return Rejection{417, "unsupported expectation: " + std::string(expect->value())};
    }
  }
  return std::nullopt;
}

Request RequestReader::TakeHead() {
  const auto& message = parser_->get();
  keep_alive_ = message.keep_alive();
  http10_ = message.version() < 11;
  head_method_ = message.method() == bhttp::verb::head;
  expects_continue_ = !http10_ && message.find(bhttp::field::expect) != message.end();
  Request request;
  request.method.assign(message.method_string());
  request.target.assign(message.target());
  for (const auto& field : message) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  return request;
}

std::optional<Rejection> RequestReader::CheckBodySize(bool streamed) {
  std::uint64_t limit = streamed ? max_streamed_body_bytes_ : max_body_bytes_;
  if (parser_->content_length().value_or(0) > limit) {
    return Rejection{413, "request body exceeds the limit of " + std::to_string(limit) + " bytes"};
  }
  parser_->body_limit(limit);
  return std::nullopt;
}

bool RequestReader::WantsContinue() const { return expects_continue_ && !parser_->is_done(); }

std::string RequestReader::TakeBody() { return std::move(parser_->get().body()); }

RequestReader::StreamParser& RequestReader::BeginStreaming() {
  // The header moves over; the remaining body limit (set by CheckBodySize) does too.
  stream_parser_.emplace(std::move(*parser_));
  parser_.reset();
  return *stream_parser_;
}

}  // namespace sluice::http
