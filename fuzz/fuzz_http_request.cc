// Fuzzes the server's request parsing without sockets: bytes arrive in fuzzer-chosen pieces into
// a RequestReader's buffer and go through the steps a server connection takes (header, checks,
// head, body limit, whole or streamed body), then through the handlers' request accessors.
#include <fuzzer/FuzzedDataProvider.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "http/request_reader.h"

namespace {

namespace bhttp = boost::beast::http;
using sluice::http::RequestReader;

// Feeds the input to `parser` until `done` says stop or the input is gone; false on an error.
class Wire {
 public:
  Wire(RequestReader& reader, std::string_view bytes, std::vector<std::size_t> cuts)
      : reader_(reader), bytes_(bytes), cuts_(std::move(cuts)) {}

  // Moves the next piece of the input into the reader's buffer; false when none is left.
  bool Arrive() {
    if (bytes_.empty()) return false;
    std::size_t size = bytes_.size();
    if (next_cut_ < cuts_.size()) size = std::min(size, cuts_[next_cut_++] + 1);
    auto& buffer = reader_.buffer();
    auto space = buffer.prepare(size);
    boost::asio::buffer_copy(space, boost::asio::buffer(bytes_.data(), size));
    buffer.commit(size);
    bytes_.remove_prefix(size);
    return true;
  }

  // One parse step: put what is buffered; at the end of the input, put_eof. False on an error
  // (classified by the reader, which must never crash on it).
  template <typename Parser>
  bool Step(Parser& parser) {
    boost::system::error_code ec;
    auto& buffer = reader_.buffer();
    if (buffer.size() == 0 && !Arrive()) return End(parser);
    std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == bhttp::error::need_more) return Arrive() || End(parser);
    if (ec == bhttp::error::need_buffer) return true;
    return Classified(ec);
  }

 private:
  // The client closed its side: what is parsed so far must be complete.
  template <typename Parser>
  bool End(Parser& parser) {
    // Closed before the next request began: what http::read reports as end_of_stream.
    if (!parser.got_some()) return Classified(bhttp::error::end_of_stream);
    boost::system::error_code ec;
    parser.put_eof(ec);
    if (!ec && !parser.is_done()) std::abort();
    return Classified(ec);
  }

  bool Classified(const boost::system::error_code& ec) {
    if (!ec) return true;
    auto rejection = reader_.ClassifyError(ec);
    if (rejection && (rejection->status < 400 || rejection->message.empty())) std::abort();
    return false;
  }

  RequestReader& reader_;
  std::string_view bytes_;
  std::vector<std::size_t> cuts_;
  std::size_t next_cut_ = 0;
};

void UseRequest(const sluice::http::Request& request) {
  if (!request.target.starts_with(request.Path())) std::abort();
  for (const char* key : {"limit", "after", "purpose", ""}) {
    (void)request.Query(key);
    (void)request.DecodedQuery(key);
  }
  (void)request.headers.Get("content-type");
  (void)sluice::http::PercentDecode(request.target);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  sluice::http::ServerOptions options;
  options.max_header_bytes = provider.ConsumeIntegralInRange<std::size_t>(16, 512);
  options.max_body_bytes = provider.ConsumeIntegralInRange<std::size_t>(0, 256);
  options.max_streamed_body_bytes = provider.ConsumeIntegralInRange<std::uint64_t>(0, 1024);
  bool stream = provider.ConsumeBool();
  options.stream_body = [stream](const sluice::http::Request&) { return stream; };
  std::vector<std::size_t> cuts(provider.ConsumeIntegralInRange(0, 8));
  for (std::size_t& cut : cuts) cut = provider.ConsumeIntegralInRange(0, 64);
  std::string bytes = provider.ConsumeRemainingBytesAsString();

  RequestReader reader(options);
  Wire wire(reader, bytes, std::move(cuts));
  // Requests follow one another on a keep-alive connection, as pipelined requests do.
  for (int request = 0; request < 4; ++request) {
    auto& parser = reader.NewParser();
    parser.eager(false);
    while (!parser.is_header_done()) {
      if (!wire.Step(parser)) return 0;
    }
    if (reader.CheckHeader()) return 0;
    sluice::http::Request head = reader.TakeHead();
    UseRequest(head);
    if (reader.CheckBodySize(stream)) return 0;
    if (stream) {
      auto& body_parser = reader.BeginStreaming();
      char piece[64];
      while (!body_parser.is_done()) {
        body_parser.get().body().data = piece;
        body_parser.get().body().size = sizeof piece;
        if (!wire.Step(body_parser)) return 0;
      }
    } else {
      parser.eager(true);
      while (!parser.is_done()) {
        if (!wire.Step(parser)) return 0;
      }
      if (reader.TakeBody().size() > options.max_body_bytes) std::abort();
    }
    if (!reader.keep_alive()) return 0;
  }
  return 0;
}
