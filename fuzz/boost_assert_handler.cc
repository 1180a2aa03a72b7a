// BOOST_ASSERT in the fuzz build's Asio/Beast code (sluice_asio, BOOST_ENABLE_ASSERT_HANDLER):
// abort like assert() does, except for one assertion of Beast 1.81 known to be false
// (boostorg/beast#2861; docs/fuzzing.md), so the fuzzers can look past it.
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::strstr(file, "beast/http/impl/basic_parser.ipp") != nullptr &&
      std::strcmp(expr, "n >= 5") == 0) {
    return;  // a last chunk "0\r\n" followed by fewer than 5 bytes: the code after it is right
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
