// Process: runs a program (the sluice binary) for integration tests with posix_spawn, captures
// its stdout and stderr through pipes, and waits on lines and on exit with deadlines (poll on the
// pipes and a pidfd; no sleeps). Thread-compatible: one test thread owns a Process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace sluice::test_support {

using TestDuration = std::chrono::steady_clock::duration;

// PATH plus the sanitizer option variables of this process, if set: enough for sluice to run,
// without leaking the developer's own settings (API keys) into tests.
std::vector<std::string> MinimalEnvironment();

class Process {
 public:
  // Starts `path` with arguments `args` (argv[1..]) and environment `env` ("NAME=value"); stdin
  // is /dev/null. kInternal if the process cannot be started.
  static Result<std::unique_ptr<Process>> Spawn(const std::string& path,
                                                const std::vector<std::string>& args,
                                                const std::vector<std::string>& env);

  // Kills (SIGKILL) and reaps a child that is still running.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // The next line written to stdout, without its '\n'. kDeadlineExceeded if none is complete
  // within `timeout`, kOutOfRange if stdout closed first.
  Result<std::string> ReadStdoutLine(TestDuration timeout);

  // Waits until what the child wrote to stderr contains `text` (written already or still to
  // come). kDeadlineExceeded if it does not within `timeout`, kOutOfRange if stderr closed first.
  Status WaitForStderr(const std::string& text, TestDuration timeout);

  // Sends `signal_number` to the child.
  Status Signal(int signal_number);

  // Waits for the child to exit and for its pipes to close. Returns its exit code, or 128 + the
  // signal that killed it; kDeadlineExceeded if it has not exited within `timeout`.
  Result<int> Wait(TestDuration timeout);

  // All output captured so far (everything, once Wait succeeded).
  const std::string& stdout_text() const { return out_.text; }
  const std::string& stderr_text() const { return err_.text; }

 private:
  struct Stream {
    int fd = -1;
    std::string text;
    std::size_t consumed = 0;  // bytes of `text` already returned by ReadStdoutLine
  };

  Process(pid_t pid, int pid_fd, int out_fd, int err_fd);
  // Waits up to `deadline` for any event, then reads what is available. False on timeout.
  bool Pump(std::chrono::steady_clock::time_point deadline);
  bool Exited();

  pid_t pid_;
  int pid_fd_;
  Stream out_;
  Stream err_;
  bool reaped_ = false;
  int exit_code_ = -1;
};

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Spawn + Wait: runs a command that is expected to end by itself within `timeout`.
Result<ProcessResult> RunToCompletion(const std::string& path, const std::vector<std::string>& args,
                                      const std::vector<std::string>& env, TestDuration timeout);

}  // namespace sluice::test_support
