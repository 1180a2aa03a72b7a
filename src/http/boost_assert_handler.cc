// BOOST_ASSERT in sluice_asio (the one unit that compiles Asio and Beast) in builds with
// assertions (BOOST_ENABLE_ASSERT_DEBUG_HANDLER; NDEBUG turns them off as before): abort like
// assert() does, except for one assertion of Beast 1.81 known to be false. A chunked body's last
// chunk "0\r\n" followed by fewer than 5 bytes trips `n >= 5` in basic_parser::parse_chunk_header,
// although the code after it is right (boostorg/beast#2861, not in Debian 12's Boost 1.81), so a
// client could abort a debug or ASan build of `sluice serve` with one request.
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::strstr(file, "beast/http/impl/basic_parser.ipp") != nullptr &&
      std::strcmp(expr, "n >= 5") == 0) {
    return;
  }
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function,
                          char const* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
