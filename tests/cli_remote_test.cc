// `sluice batches …` and `sluice files …` against a running `sluice serve` (in front of
// `sluice mock`): a batch uploaded, created, waited for and downloaded from the command line, the
// tables and JSON they print, and the one-line errors for an unknown id, a wrong key and a
// gateway that is not there.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>

#include "support/process.h"
#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kGatewayKey = "cli-test-key-0123456789abcdef";

class CliRemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fixture_.Start({"--seed", "5"}).ok());
    std::ofstream(fixture_.config_path(), std::ios::app)
        << "keys:\n  - name: team\n    key: " << kGatewayKey << "\n";
    Result<Serving> serving = StartServe(fixture_.config_path());
    ASSERT_TRUE(serving.ok()) << serving.status();
    serve_ = std::move(serving->process);
    url_ = "http://127.0.0.1:" + std::to_string(serving->port) + "/v1";
  }

  // `sluice <args>` with SLUICE_URL and SLUICE_API_KEY set (stdout is a pipe: JSON by default).
  ProcessResult Sluice(const std::vector<std::string>& args, const std::string& key = kGatewayKey) {
    std::vector<std::string> env = MinimalEnvironment();
    env.push_back("SLUICE_URL=" + url_);
    env.push_back("SLUICE_API_KEY=" + key);
    auto run = RunToCompletion(SLUICE_BIN, args, env, kRunDeadline);
    return run.ok() ? *run : ProcessResult{-1, "", run.status().ToString()};
  }

  static json::object Parse(const std::string& text) {
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    return !ec && value.is_object() ? value.get_object() : json::object{};
  }

  RunFixture fixture_;
  std::unique_ptr<Process> serve_;
  std::string url_;
};

TEST_F(CliRemoteTest, RunsABatchFromUploadToDownload) {
  std::string input = fixture_.WriteInput("in.jsonl", RequestLines(30));
  ProcessResult created = Sluice({"batches", "create", "--file", input, "--metadata", "job=nightly"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  json::object batch = Parse(created.out);
  ASSERT_TRUE(batch.contains("id")) << created.out;
  std::string id(batch["id"].as_string());
  EXPECT_EQ(batch["metadata"].as_object()["job"], "nightly");

  ProcessResult waited = Sluice({"batches", "wait", id, "--interval", "20ms"});
  ASSERT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_EQ(Parse(waited.out)["status"], "completed");
  EXPECT_THAT(waited.err, HasSubstr("] 30/30 100%")) << "the progress log ends full";

  std::string out = fixture_.Path("results.jsonl");
  ProcessResult downloaded = Sluice({"batches", "download", id, "--output", out});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.err;
  EXPECT_THAT(downloaded.out, HasSubstr("bytes to " + out));
  auto lines = fixture_.ReadOutput(out);
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(EachRequestOnce(*lines, 30));

  ProcessResult table = Sluice({"batches", "list", "--table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, StartsWith("ID "));
  EXPECT_THAT(table.out, HasSubstr(id + "  completed  /v1/chat/completions  30/30"));

  ProcessResult files = Sluice({"files", "list", "--purpose", "batch_output"});
  ASSERT_EQ(files.exit_code, 0) << files.err;
  json::array data = Parse(files.out)["data"].as_array();
  ASSERT_EQ(data.size(), 1u) << files.out;
  EXPECT_EQ(data[0].as_object()["id"], Parse(waited.out)["output_file_id"]);
}

TEST_F(CliRemoteTest, UploadsShowsAndDeletesAFile) {
  std::string input = fixture_.WriteInput("in.jsonl", RequestLines(3));
  ProcessResult uploaded = Sluice({"files", "upload", input});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  json::object file = Parse(uploaded.out);
  std::string id(file["id"].as_string());
  EXPECT_EQ(file["filename"], "in.jsonl");
  EXPECT_EQ(file["purpose"], "batch");

  ProcessResult shown = Sluice({"files", "get", id, "--table"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("id:       " + id + "\n"));
  EXPECT_THAT(shown.out, HasSubstr("filename: in.jsonl\n"));

  std::string copy = fixture_.Path("copy.jsonl");
  ASSERT_EQ(Sluice({"files", "content", id, "-o", copy}).exit_code, 0);
  std::ifstream in(copy);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, RequestLines(3));

  ProcessResult deleted = Sluice({"files", "delete", id, "--table"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "deleted " + id + "\n");
  ProcessResult gone = Sluice({"files", "get", id});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_THAT(gone.err, HasSubstr("(HTTP 404 invalid_request_error)"));
}

TEST_F(CliRemoteTest, ErrorsAreOneLineAndExitOne) {
  ProcessResult unknown = Sluice({"batches", "get", "batch_nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, StartsWith("sluice batches: "));
  EXPECT_THAT(unknown.err, HasSubstr("batch_nope"));
  EXPECT_THAT(unknown.err, HasSubstr("(HTTP 404 invalid_request_error)\n"));
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;

  ProcessResult wrong_key = Sluice({"batches", "list"}, "not-the-key-0123456789");
  EXPECT_EQ(wrong_key.exit_code, 1);
  EXPECT_THAT(wrong_key.err, HasSubstr("(HTTP 401 "));

  auto closed = ListenOnAnyPort();  // a port nobody answers on once closed
  ASSERT_TRUE(closed.ok());
  ::close(closed->fd);
  std::string nowhere = "http://127.0.0.1:" + std::to_string(closed->port);
  ProcessResult unreachable = Sluice({"files", "list", "--url", nowhere});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_THAT(unreachable.err, StartsWith("sluice files: cannot reach " + nowhere + ": "));

  ProcessResult no_input = Sluice({"batches", "create"});
  EXPECT_EQ(no_input.exit_code, 2);
  EXPECT_THAT(no_input.err, HasSubstr("give --file FILE or --input-file-id ID"));
  ProcessResult not_yet = Sluice({"batches", "download", "batch_nope"});
  EXPECT_EQ(not_yet.exit_code, 1);
}

}  // namespace
}  // namespace sluice::test_support

namespace sluice::test_support {
namespace {

TEST_F(CliRemoteTest, SetBudgetResumesABatchPausedAtItsCap) {
  std::string input = fixture_.WriteInput("in.jsonl", RequestLines(30));
  ProcessResult created =
      Sluice({"batches", "create", "--file", input, "--metadata", "sluice_max_cost_usd=0.0002"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string id(Parse(created.out)["id"].as_string());
  ASSERT_TRUE(serve_->WaitForStderr("batch " + id + " paused for budget", kRunDeadline).ok())
      << serve_->stderr_text();

  ProcessResult bad = Sluice({"batches", "set-budget", id, "plenty"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("'plenty' is not a number of US dollars"));
  ProcessResult raised = Sluice({"batches", "set-budget", id, "none"});
  ASSERT_EQ(raised.exit_code, 0) << raised.err;
  EXPECT_FALSE(Parse(raised.out)["metadata"].as_object().contains("sluice_max_cost_usd"));
  ProcessResult waited = Sluice({"batches", "wait", id, "--interval", "20ms"});
  ASSERT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_EQ(Parse(waited.out)["request_counts"].as_object()["completed"], 30);
}

}  // namespace
}  // namespace sluice::test_support
