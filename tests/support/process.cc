#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace sluice::test_support {
namespace {

using SteadyClock = std::chrono::steady_clock;

Status ErrnoError(const std::string& what) {
  return InternalError(what + ": " + std::strerror(errno));
}

int MillisUntil(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const std::string& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

std::vector<std::string> MinimalEnvironment() {
  std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
  }
  return env;
}

Result<std::unique_ptr<Process>> Process::Spawn(const std::string& path,
                                                const std::vector<std::string>& args,
                                                const std::vector<std::string>& env) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return ErrnoError("pipe");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return ErrnoError("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<std::string> argv_strings = {path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv = CStrings(argv_strings);
  std::vector<char*> envp = CStrings(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return InternalError("posix_spawn " + path + ": " + std::strerror(rc));
  }
  int pid_fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pid_fd < 0) return ErrnoError("pidfd_open");
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
  return std::unique_ptr<Process>(new Process(pid, pid_fd, out_pipe[0], err_pipe[0]));
}

Process::Process(pid_t pid, int pid_fd, int out_fd, int err_fd) : pid_(pid), pid_fd_(pid_fd) {
  out_.fd = out_fd;
  err_.fd = err_fd;
}

Process::~Process() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (int fd : {pid_fd_, out_.fd, err_.fd}) {
    if (fd >= 0) close(fd);
  }
}

bool Process::Pump(SteadyClock::time_point deadline) {
  // poll ignores negative fds: closed pipes, and the pidfd once the child is reaped (it would
  // stay readable forever).
  pollfd fds[3] = {{out_.fd, POLLIN, 0}, {err_.fd, POLLIN, 0}, {reaped_ ? -1 : pid_fd_, POLLIN, 0}};
  int ready = poll(fds, 3, MillisUntil(deadline));
  if (ready <= 0) return false;
  for (Stream* s : {&out_, &err_}) {
    char buffer[4096];
    while (s->fd >= 0) {
      ssize_t n = read(s->fd, buffer, sizeof buffer);
      if (n > 0) {
        s->text.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        if (n == 0) {
          close(s->fd);
          s->fd = -1;
        }
        break;
      }
    }
  }
  return true;
}

Result<std::string> Process::ReadStdoutLine(TestDuration timeout) {
  auto deadline = SteadyClock::now() + timeout;
  while (true) {
    std::size_t newline = out_.text.find('\n', out_.consumed);
    if (newline != std::string::npos) {
      std::string line = out_.text.substr(out_.consumed, newline - out_.consumed);
      out_.consumed = newline + 1;
      return line;
    }
    if (out_.fd < 0) return OutOfRangeError("stdout closed before a complete line");
    if (!Pump(deadline)) return DeadlineExceededError("no line on stdout in time");
  }
}

Status Process::Signal(int signal_number) {
  if (reaped_) return FailedPreconditionError("the process has already exited");
  if (kill(pid_, signal_number) != 0) return ErrnoError("kill");
  return OkStatus();
}

Status Process::WaitForStderr(const std::string& text, TestDuration timeout) {
  auto deadline = SteadyClock::now() + timeout;
  while (err_.text.find(text) == std::string::npos) {
    if (err_.fd < 0) return OutOfRangeError("stderr closed before \"" + text + "\"");
    if (!Pump(deadline)) return DeadlineExceededError("\"" + text + "\" not on stderr in time");
  }
  return OkStatus();
}

bool Process::Exited() {
  if (reaped_) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  reaped_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

Result<int> Process::Wait(TestDuration timeout) {
  auto deadline = SteadyClock::now() + timeout;
  while (!Exited() || out_.fd >= 0 || err_.fd >= 0) {
    if (!Pump(deadline)) return DeadlineExceededError("the process did not exit in time");
  }
  return exit_code_;
}

Result<ProcessResult> RunToCompletion(const std::string& path, const std::vector<std::string>& args,
                                      const std::vector<std::string>& env, TestDuration timeout) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Process> process, Process::Spawn(path, args, env));
  SLUICE_ASSIGN_OR_RETURN(int code, process->Wait(timeout));
  return ProcessResult{code, process->stdout_text(), process->stderr_text()};
}

}  // namespace sluice::test_support
