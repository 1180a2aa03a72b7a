// Checks that MakeTestCertificate produces a chain OpenSSL itself accepts for localhost/127.0.0.1.
#include "http/testing/test_certificate.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace sluice::http::testing {
namespace {

std::vector<X509*> ReadCerts(const std::string& path) {
  std::vector<X509*> certs;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return certs;
  while (X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr)) certs.push_back(cert);
  std::fclose(f);
  return certs;
}

TEST(TestCertificateTest, ServerCertificateVerifiesAgainstCaForLocalhostAndLoopbackIp) {
  Result<TestCertificate> pki = MakeTestCertificate();
  ASSERT_TRUE(pki.ok()) << pki.status();
  std::vector<X509*> ca = ReadCerts(pki->ca_file);
  std::vector<X509*> chain = ReadCerts(pki->chain_file);
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(chain.size(), 2u);

  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca[0]);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, chain[0], nullptr);
  EXPECT_EQ(X509_verify_cert(ctx), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  EXPECT_EQ(X509_check_host(chain[0], "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(chain[0], "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(chain[0], "example.com", 0, 0, nullptr), 1);

  FILE* f = std::fopen(pki->private_key_file.c_str(), "r");
  ASSERT_NE(f, nullptr);
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(chain[0], key), 1);

  EVP_PKEY_free(key);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  for (X509* c : ca) X509_free(c);
  for (X509* c : chain) X509_free(c);
}

TEST(TestCertificateTest, EachCallMakesAFreshDirectory) {
  Result<TestCertificate> a = MakeTestCertificate();
  Result<TestCertificate> b = MakeTestCertificate();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->directory, b->directory);
}

}  // namespace
}  // namespace sluice::http::testing
