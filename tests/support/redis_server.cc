#include "support/redis_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace sluice::test_support {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);

std::string FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  dirs += ":/usr/sbin:/usr/local/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, end - start)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// A port nobody listens on right now (the kernel's pick for a socket bound to port 0).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace

Result<std::unique_ptr<RedisServer>> RedisServer::Start(const RedisServerOptions& options) {
  std::string binary = FindOnPath("redis-server");
  if (binary.empty()) return NotFoundError(kNoRedisServer);
  bool tls = !options.tls_cert_file.empty();
  std::string last_output;
  // Another process may take a free port first: then another try on another one.
  for (int attempt = 0; attempt < (options.port == 0 ? 5 : 1); ++attempt) {
    int port = options.port == 0 ? FreePort() : options.port;
    std::vector<std::string> args = {"--port", std::to_string(port)};
    if (tls) {
      args = {"--port",
              "0",
              "--tls-port",
              std::to_string(port),
              "--tls-cert-file",
              options.tls_cert_file,
              "--tls-key-file",
              options.tls_key_file,
              "--tls-auth-clients",
              "no"};
    }
    args.insert(args.end(),
                {"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                 "--loglevel", "notice", "--protected-mode", "yes"});
    if (!options.password.empty()) args.insert(args.end(), {"--requirepass", options.password});
    SLUICE_ASSIGN_OR_RETURN(auto process, Process::Spawn(binary, args, MinimalEnvironment()));
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (true) {
      auto line = process->ReadStdoutLine(deadline - std::chrono::steady_clock::now());
      if (!line.ok()) break;
      if (line->find("Ready to accept connections") != std::string::npos) {
        return std::unique_ptr<RedisServer>(new RedisServer(std::move(process), port, tls));
      }
    }
    last_output = process->stdout_text();
  }
  return UnavailableError("redis-server did not start: " + last_output);
}

Result<std::string> WriteSelfSignedCertificate(const std::string& dir) {
  std::string openssl = FindOnPath("openssl");
  if (openssl.empty()) return NotFoundError("openssl is not installed");
  std::string cert = dir + "/cert.pem";
  SLUICE_ASSIGN_OR_RETURN(
      ProcessResult made,
      RunToCompletion(openssl,
                      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                       "-nodes", "-keyout", dir + "/key.pem", "-out", cert, "-days", "1", "-subj",
                       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                      MinimalEnvironment(), kStartTimeout));
  if (made.exit_code != 0) return InternalError("openssl req failed: " + made.err);
  return cert;
}

RedisServer* SharedRedisServer() {
  static std::unique_ptr<RedisServer> server = [] {
    auto started = RedisServer::Start();
    if (started.ok()) return std::move(started).value();
    const char* required = std::getenv("SLUICE_REQUIRE_REDIS");
    if (started.status().code() == StatusCode::kNotFound &&
        (required == nullptr || std::string(required) != "1")) {
      return std::unique_ptr<RedisServer>();
    }
    std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
    std::abort();
  }();
  return server.get();
}

}  // namespace sluice::test_support
