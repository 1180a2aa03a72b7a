// `sluice serve` and the loopback rule: without gateway keys it serves on loopback only and says
// so; a public address without keys is refused before anything binds (exit 2, one line).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "support/process.h"
#include "support/scratch_working_directory.h"

namespace sluice::test_support {
namespace {

// What `sluice serve` writes (./sluice-test-data, ./sluice-data) goes to a temporary directory.
const auto* const kScratch = ::testing::AddGlobalTestEnvironment(new ScratchWorkingDirectory);

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr auto kTimeout = std::chrono::seconds(20);
constexpr std::string_view kNotice =
    "no gateway keys configured: serving without authentication on loopback only";

std::string Fixture(const std::string& name) {
  return std::string(SLUICE_FIXTURES_DIR) + "/config/" + name;
}

std::string Refusal(const std::string& address) {
  return "sluice: refusing to listen on " + address +
         " without authentication: add gateway keys to the config (keys:, see "
         "docs/operations.md) or listen on a loopback address such as 127.0.0.1\n";
}

// Starts `sluice <args>`, waits for its "listening on" line, stops it with SIGTERM and returns
// everything it wrote to stderr.
std::string StderrOfAServeThatStarts(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env) {
  Result<std::unique_ptr<Process>> spawned = Process::Spawn(SLUICE_BIN, args, env);
  EXPECT_TRUE(spawned.ok()) << spawned.status();
  if (!spawned.ok()) return "";
  Process& serve = **spawned;
  Result<std::string> line = serve.ReadStdoutLine(kTimeout);
  EXPECT_TRUE(line.ok()) << line.status() << "\nstderr: " << serve.stderr_text();
  EXPECT_THAT(line.value_or(""), StartsWith("listening on http://127.0.0.1:"));
  EXPECT_TRUE(serve.Signal(SIGTERM).ok());
  Result<int> code = serve.Wait(kTimeout);
  EXPECT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code.value_or(-1), 0) << serve.stderr_text();
  return serve.stderr_text();
}

TEST(ServeListenTest, PublicAddressWithoutKeysExitsTwoWithOneLine) {
  for (const std::string address : {"0.0.0.0:0", "[::]:0"}) {
    Result<ProcessResult> r =
        RunToCompletion(SLUICE_BIN, {"serve", "--listen", address}, MinimalEnvironment(), kTimeout);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->exit_code, 2) << address;
    EXPECT_EQ(r->err, Refusal(address));
    EXPECT_EQ(r->out, "") << "nothing may listen";
  }
}

TEST(ServeListenTest, PublicAddressInTheConfigWithoutKeysIsRefusedToo) {
  Result<ProcessResult> r =
      RunToCompletion(SLUICE_BIN, {"--config", Fixture("serve_public_no_keys.yaml"), "serve"},
                      MinimalEnvironment(), kTimeout);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_EQ(r->err, Refusal("0.0.0.0:0"));
}

TEST(ServeListenTest, LoopbackWithoutKeysSaysItIsUnauthenticated) {
  std::string err =
      StderrOfAServeThatStarts({"serve", "--listen", "127.0.0.1:0"}, MinimalEnvironment());
  EXPECT_THAT(err, HasSubstr(kNotice));
}

TEST(ServeListenTest, WithKeysThereIsNoNoticeAndTheKeyStaysSecret) {
  std::vector<std::string> env = MinimalEnvironment();
  env.push_back("SLUICE_TEST_GATEWAY_KEY=gw-integration-secret-0123456789");
  std::string err = StderrOfAServeThatStarts(
      {"--config", Fixture("serve_with_keys.yaml"), "--log-level", "debug", "serve"}, env);
  EXPECT_THAT(err, Not(HasSubstr(kNotice)));
  EXPECT_THAT(err, Not(HasSubstr("gw-integration-secret")));
}

}  // namespace
}  // namespace sluice::test_support
