// TestCertificate: a throwaway PKI for TLS tests. Generates, with OpenSSL, a self-signed CA and
// a server certificate for "localhost" and 127.0.0.1 signed by it, and writes them as PEM files
// into a fresh temporary directory. Tests only. Thread-safe (no shared state).
#pragma once

#include <string>

#include "common/result.h"

namespace sluice::http::testing {

struct TestCertificate {
  std::string directory;         // the fresh temp dir holding the files below
  std::string ca_file;           // PEM: the CA certificate (trust this in clients)
  std::string chain_file;        // PEM: server certificate, then the CA certificate
  std::string private_key_file;  // PEM: the server's private key (unencrypted)
};

// Creates the files. Errors (kInternal) only if OpenSSL or the filesystem fail. The files are
// left behind for inspection; they live under the system temp directory.
Result<TestCertificate> MakeTestCertificate();

}  // namespace sluice::http::testing
