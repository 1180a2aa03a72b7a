// RequestReader's parser fed by hand, piece by piece, for what a socket test cannot time: where
// one read ends and the next begins.
#include "http/request_reader.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string_view>

namespace sluice::http {
namespace {

namespace bhttp = boost::beast::http;

// Appends `piece` to the reader's buffer and parses all it can (the header, then the body).
boost::system::error_code Arrive(RequestReader& reader, std::string_view piece) {
  auto& buffer = reader.buffer();
  buffer.commit(boost::asio::buffer_copy(buffer.prepare(piece.size()),
                                         boost::asio::buffer(piece.data(), piece.size())));
  boost::system::error_code ec;
  while (!ec && !reader.parser().is_done()) {
    std::size_t used = reader.parser().put(buffer.data(), ec);
    buffer.consume(used);
    if (used == 0) break;
  }
  return ec;
}

// Beast 1.81 asserts `n >= 5` when the last chunk "0\r\n" is followed by fewer than 5 bytes
// (boostorg/beast#2861); the assertion is false and aborted debug and ASan builds of the server.
TEST(RequestReaderTest, ALastChunkSplitBeforeItsTrailerIsParsed) {
  RequestReader reader{ServerOptions{}};
  reader.NewParser();
  EXPECT_EQ(Arrive(reader, "POST /v1/files HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n"
                           "\r\n0\r\n"),
            bhttp::error::need_more);
  EXPECT_EQ(Arrive(reader, "x"), bhttp::error::need_more);
  EXPECT_EQ(Arrive(reader, ": y\r\n\r\n"), boost::system::error_code());
  EXPECT_TRUE(reader.parser().is_done());
  EXPECT_EQ(reader.TakeBody(), "");
}

}  // namespace
}  // namespace sluice::http
