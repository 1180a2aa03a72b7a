#include "support/run_fixture.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/raw_http.h"

namespace sluice::test_support {
namespace {

constexpr auto kMockDeadline = std::chrono::seconds(20);

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sluice-run-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ConfigText(std::uint16_t port, const std::string& data_dir,
                       const DeploymentOptions& deployment) {
  std::ostringstream text;
  // Short backoff keeps runs against a faulty mock brief whatever faults a seed draws.
  text << "data_dir: " << data_dir << "\n"
       << "retry: {base_delay: 20ms, max_delay: 500ms}\n"
       << "models:\n"
       << "  - name: " << kTestModel << "\n"
       << "    prices: {input: 1.0, cached_input: 0.5, output: 2.0}\n"
       << "    deployments:\n"
       << "      - provider: openai-compatible\n"
       << "        base_url: http://127.0.0.1:" << port << "/v1\n"
       << "        api_key: " << deployment.api_key << "\n"
       << "        rpm: " << deployment.rpm << "\n"
       << "        tpm: " << deployment.tpm << "\n"
       << "        max_in_flight: " << deployment.max_in_flight << "\n";
  if (!deployment.timeout.empty()) text << "        timeout: " << deployment.timeout << "\n";
  return text.str();
}

OutputLine ParseOutputLine(const std::string& text) {
  OutputLine line;
  boost::system::error_code ec;
  line.json = boost::json::parse(text, ec);
  if (ec || !line.json.is_object()) return line;
  const boost::json::object& object = line.json.as_object();
  if (const auto* id = object.if_contains("custom_id"); id != nullptr && id->is_string()) {
    line.custom_id = id->as_string();
  }
  const auto* response = object.if_contains("response");
  const auto* error = object.if_contains("error");
  if (response == nullptr || !response->is_object()) return line;
  const auto* status = response->as_object().if_contains("status_code");
  line.succeeded = status != nullptr && status->is_int64() && status->as_int64() == 200 &&
                   error != nullptr && error->is_null();
  const auto* body = response->as_object().if_contains("body");
  if (body == nullptr || !body->is_object()) return line;
  const auto* choices = body->as_object().if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->as_array().empty()) return line;
  const auto* message = choices->as_array()[0].as_object().if_contains("message");
  if (message == nullptr || !message->is_object()) return line;
  const auto* content = message->as_object().if_contains("content");
  if (content != nullptr && content->is_string()) line.content = content->as_string();
  return line;
}

}  // namespace

std::string AskText(int index) {
  char text[32];
  std::snprintf(text, sizeof text, "ask-%06d-end", index);
  return text;
}

std::string CustomId(int index) { return "req-" + std::to_string(index); }

std::string RequestLine(int index, int max_tokens) {
  boost::json::object message{{"role", "user"}, {"content", AskText(index)}};
  boost::json::object body{
      {"model", kTestModel}, {"messages", boost::json::array{message}}, {"max_tokens", max_tokens}};
  boost::json::object line{{"custom_id", CustomId(index)},
                           {"method", "POST"},
                           {"url", "/v1/chat/completions"},
                           {"body", body}};
  return boost::json::serialize(line);
}

std::string RequestLines(int count, int first) {
  std::string text;
  for (int i = first; i < first + count; ++i) text += RequestLine(i) + "\n";
  return text;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

RunFixture::RunFixture() : dir_(MakeTempDir()) {}

RunFixture::~RunFixture() {
  mock_.reset();  // kills the mock before its files go
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

Status RunFixture::Start(const std::vector<std::string>& mock_args,
                         const DeploymentOptions& deployment) {
  if (dir_.empty()) return InternalError("cannot create a temporary directory");
  SLUICE_ASSIGN_OR_RETURN(mock_port_, StartMock(mock_args));
  config_path_ = WriteInput("sluice.yaml", ConfigText(mock_port_, Path("data"), deployment));
  return OkStatus();
}

Result<std::uint16_t> RunFixture::StartMock(const std::vector<std::string>& mock_args) {
  std::vector<std::string> args = {"mock", "--port", "0"};
  args.insert(args.end(), mock_args.begin(), mock_args.end());
  SLUICE_ASSIGN_OR_RETURN(auto mock, Process::Spawn(SLUICE_BIN, args, MinimalEnvironment()));
  Result<std::string> line = mock->ReadStdoutLine(kMockDeadline);
  if (!line.ok()) {
    return InternalError("the mock did not start: " + line.status().ToString() + "\n" +
                         mock->stderr_text());
  }
  std::smatch match;
  if (!std::regex_match(*line, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"))) {
    return InternalError("unexpected first line from the mock: " + *line);
  }
  (mock_ ? extra_mocks_.emplace_back() : mock_) = std::move(mock);
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

std::string RunFixture::Path(const std::string& name) const { return dir_ + "/" + name; }

std::string RunFixture::WriteInput(const std::string& name, const std::string& content) const {
  std::string path = Path(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

ProcessResult RunFixture::Run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"run"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--config", config_path_});
  Result<ProcessResult> result =
      RunToCompletion(SLUICE_BIN, argv, MinimalEnvironment(), kRunDeadline);
  if (!result.ok()) return ProcessResult{-1, "", result.status().ToString()};
  return *result;
}

Result<std::unique_ptr<Process>> RunFixture::SpawnRun(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"run"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--config", config_path_});
  return Process::Spawn(SLUICE_BIN, argv, MinimalEnvironment());
}

Result<boost::json::object> RunFixture::Stats() const {
  SLUICE_ASSIGN_OR_RETURN(RawResponse response,
                          RawHttp(mock_port_, "GET", "/mock/stats", "", kMockDeadline));
  if (response.status != 200) {
    return InternalError("/mock/stats answered " + std::to_string(response.status));
  }
  boost::system::error_code ec;
  boost::json::value stats = boost::json::parse(response.body, ec);
  if (ec || !stats.is_object()) return InternalError("/mock/stats: not a JSON object");
  return stats.as_object();
}

Result<std::vector<OutputLine>> RunFixture::ReadOutput(const std::string& path) const {
  SLUICE_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  std::vector<OutputLine> lines;
  for (const std::string& line : SplitLines(text)) lines.push_back(ParseOutputLine(line));
  return lines;
}

namespace {

// Empty when `line` is a successful answer to request `index`; else what is wrong.
std::string WrongAnswer(const OutputLine& line, int index) {
  if (line.custom_id != CustomId(index)) {
    return "custom_id " + line.custom_id + ", expected " + CustomId(index);
  }
  if (!line.succeeded) return "not a success: " + boost::json::serialize(line.json);
  if (!line.content.starts_with("mock:") ||
      line.content.find(" " + AskText(index)) == std::string::npos) {
    return "answers another request: " + line.content;
  }
  return "";
}

}  // namespace

::testing::AssertionResult AnswersInOrder(const std::vector<OutputLine>& lines, int count) {
  if (lines.size() != static_cast<std::size_t>(count)) {
    return ::testing::AssertionFailure() << lines.size() << " lines, expected " << count;
  }
  for (int i = 0; i < count; ++i) {
    std::string wrong = WrongAnswer(lines[static_cast<std::size_t>(i)], i);
    if (!wrong.empty()) return ::testing::AssertionFailure() << "line " << i + 1 << ": " << wrong;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult EachRequestOnce(const std::vector<OutputLine>& lines, int count) {
  std::vector<int> seen(static_cast<std::size_t>(count), 0);
  for (const OutputLine& line : lines) {
    int index = -1;
    if (line.custom_id.starts_with("req-")) index = std::atoi(line.custom_id.c_str() + 4);
    if (index < 0 || index >= count || line.custom_id != CustomId(index))
      return ::testing::AssertionFailure() << "unknown custom_id " << line.custom_id;
    if (++seen[static_cast<std::size_t>(index)] > 1) {
      return ::testing::AssertionFailure() << line.custom_id << " appears twice";
    }
    if (line.succeeded) {
      std::string wrong = WrongAnswer(line, index);
      if (!wrong.empty()) return ::testing::AssertionFailure() << wrong;
    }
  }
  for (int i = 0; i < count; ++i) {
    if (seen[static_cast<std::size_t>(i)] == 0) {
      return ::testing::AssertionFailure() << CustomId(i) << " has no result";
    }
  }
  return ::testing::AssertionSuccess();
}

std::int64_t StatCount(const boost::json::object& stats, const std::string& name) {
  const auto* value = stats.if_contains(name);
  return value != nullptr && value->is_int64()    ? value->as_int64()
         : value != nullptr && value->is_uint64() ? static_cast<std::int64_t>(value->as_uint64())
                                                  : -1;
}

Result<Serving> StartServe(const std::string& config_path,
                           const std::vector<std::string>& global_args) {
  Serving serving;
  std::vector<std::string> argv = {"--config", config_path};
  argv.insert(argv.end(), global_args.begin(), global_args.end());
  argv.insert(argv.end(), {"serve", "--listen", "127.0.0.1:0"});
  SLUICE_ASSIGN_OR_RETURN(serving.process, Process::Spawn(SLUICE_BIN, argv, MinimalEnvironment()));
  Result<std::string> line = serving.process->ReadStdoutLine(kRunDeadline);
  if (!line.ok()) {
    return InternalError("serve did not start: " + line.status().ToString() + "\n" +
                         serving.process->stderr_text());
  }
  serving.port = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  return serving;
}

std::string ProviderModeConfig(const RunFixture& fixture, const std::string& provider,
                               const std::string& extra) {
  std::ostringstream text;
  text << "data_dir: " << fixture.Path("data") << "\n"
       << "provider_batches: {max_lines: 4, poll_interval: 5ms, max_poll_interval: 20ms" << extra
       << "}\n"
       << "models:\n"
       << "  - name: " << kTestModel << "\n"
       << "    prices: {input: 1.0, cached_input: 0.5, output: 2.0}\n"
       << "    deployments:\n"
       << "      - provider: " << provider << "\n"
       << "        base_url: http://127.0.0.1:" << fixture.mock_port()
       << (provider == "openai" ? "/v1" : "") << "\n"
       << "        api_key: sk-test\n";
  return text.str();
}

}  // namespace sluice::test_support
