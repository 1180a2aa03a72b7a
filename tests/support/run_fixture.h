// RunFixture: what an integration test of `sluice run` needs — a temporary directory, a running
// `sluice mock`, a config pointing at it with a fresh data_dir, generated JSONL input files, and
// readers for the output files and the mock's /mock/stats. Thread-compatible: one test owns one.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "support/process.h"

namespace sluice::test_support {

// Long enough for a loaded 2-core machine; a passing test ends far sooner.
inline constexpr auto kRunDeadline = std::chrono::seconds(60);

// The model every generated request asks for (the config serves it).
inline constexpr const char* kTestModel = "gpt-4o-mini";

// The mock's deployment as the generated config describes it to sluice.
struct DeploymentOptions {
  // The account: the same key RawHttp sends, so a test can spend the account's quota itself.
  std::string api_key = "sk-test";
  std::int64_t rpm = 1000000;
  std::int64_t tpm = 1000000000;
  std::int64_t max_in_flight = 16;
  std::string timeout;  // the deployment's `timeout:` key; empty: not written
};

// The words the request `index` asks the mock to echo: unique, and no one's prefix.
std::string AskText(int index);
// The custom_id of request `index`: "req-<index>".
std::string CustomId(int index);
// One valid chat-completions input line (no newline) for request `index`. The mock refuses
// max_tokens 0 with a 400 (sluice does not check it), which makes a line that fails for good.
std::string RequestLine(int index, int max_tokens = 8);
// Lines [first, first + count) each followed by '\n'.
std::string RequestLines(int count, int first = 0);

// The lines of `text` without their '\n' (a last line without one counts too).
std::vector<std::string> SplitLines(const std::string& text);

// One parsed line of an output or error file.
struct OutputLine {
  std::string custom_id;
  boost::json::value json;
  // The first choice's message content of a successful chat answer; empty otherwise.
  std::string content;
  bool succeeded = false;  // response.status_code 200 and error null
};

class RunFixture {
 public:
  // Creates the temporary directory (removed by the destructor, with what is in it).
  RunFixture();
  ~RunFixture();
  RunFixture(const RunFixture&) = delete;
  RunFixture& operator=(const RunFixture&) = delete;

  // Starts `sluice mock --port 0 <mock_args>` and writes the config (data_dir inside the
  // temporary directory) pointing at it as `deployment`.
  Status Start(const std::vector<std::string>& mock_args, const DeploymentOptions& deployment = {});

  // Starts another `sluice mock --port 0 <mock_args>` (kept until the fixture ends) and returns
  // its port; a test that needs several upstreams then writes its own config (WriteInput
  // "sluice.yaml" replaces the generated one).
  Result<std::uint16_t> StartMock(const std::vector<std::string>& mock_args);

  // A path inside the temporary directory.
  std::string Path(const std::string& name) const;
  const std::string& config_path() const { return config_path_; }
  std::uint16_t mock_port() const { return mock_port_; }

  // Writes `content` to Path(name) and returns that path.
  std::string WriteInput(const std::string& name, const std::string& content) const;

  // `sluice run <args> --config <config>` to its end.
  ProcessResult Run(const std::vector<std::string>& args) const;
  // The same, started in the background.
  Result<std::unique_ptr<Process>> SpawnRun(const std::vector<std::string>& args) const;

  // The mock's /mock/stats as an object.
  Result<boost::json::object> Stats() const;

  // Reads and parses every line of the file at `path`.
  Result<std::vector<OutputLine>> ReadOutput(const std::string& path) const;

 private:
  std::string dir_;
  std::string config_path_;
  std::unique_ptr<Process> mock_;  // the first mock: Stats() reads it
  std::vector<std::unique_ptr<Process>> extra_mocks_;
  std::uint16_t mock_port_ = 0;
};

// Success when `lines` are exactly requests [0, count) in input order, each a successful answer
// to its own request (the mock echoes the request's AskText after its marker).
::testing::AssertionResult AnswersInOrder(const std::vector<OutputLine>& lines, int count);

// Success when `lines` hold each of requests [0, count) exactly once (in any state) and every
// successful line answers its own request.
::testing::AssertionResult EachRequestOnce(const std::vector<OutputLine>& lines, int count);

// A config for provider mode: the test model served by one `provider` (openai or anthropic)
// deployment on the fixture's mock, provider batches of at most 4 lines polled every few
// milliseconds, and `extra` (", key: value" pairs) added to provider_batches.
std::string ProviderModeConfig(const RunFixture& fixture, const std::string& provider,
                               const std::string& extra = "");

// `sluice --config <config_path> <global_args> serve --listen 127.0.0.1:0`, running, and the
// port it printed; `global_args` such as {"--log-level", "debug"}.
struct Serving {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
};
Result<Serving> StartServe(const std::string& config_path,
                           const std::vector<std::string>& global_args = {});

// The mock's counter `name` (a top-level integer of /mock/stats), or -1 if absent.
std::int64_t StatCount(const boost::json::object& stats, const std::string& name);

}  // namespace sluice::test_support
