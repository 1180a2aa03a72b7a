// Generates the test PKI of test_certificate.h with the OpenSSL 3 API: EC P-256 keys, a CA
// marked CA:TRUE, and a server certificate whose subjectAltName covers localhost and 127.0.0.1.
#include "http/testing/test_certificate.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sluice::http::testing {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, ExtFree>;

Status OpenSslError(std::string what) {
  unsigned long code = ERR_get_error();
  char buf[256] = {0};
  if (code != 0) ERR_error_string_n(code, buf, sizeof(buf));
  ERR_clear_error();
  return InternalError("test certificate: " + what + (code != 0 ? std::string(": ") + buf : ""));
}

struct CertSpec {
  std::string common_name;
  long serial = 1;
  bool is_ca = false;
  std::string subject_alt_names;  // "DNS:localhost,IP:127.0.0.1", or empty
};

Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslError("extension " + value);
  }
  return OkStatus();
}

Status AddExtensions(X509* cert, X509* issuer, const CertSpec& spec) {
  if (spec.is_ca) {
    SLUICE_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_basic_constraints, "critical,CA:TRUE"));
    SLUICE_RETURN_IF_ERROR(
        AddExtension(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign"));
    SLUICE_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_subject_key_identifier, "hash"));
    return OkStatus();
  }
  SLUICE_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_basic_constraints, "CA:FALSE"));
  SLUICE_RETURN_IF_ERROR(
      AddExtension(cert, issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment"));
  SLUICE_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_ext_key_usage, "serverAuth"));
  SLUICE_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_authority_key_identifier, "keyid"));
  if (!spec.subject_alt_names.empty()) {
    SLUICE_RETURN_IF_ERROR(
        AddExtension(cert, issuer, NID_subject_alt_name, spec.subject_alt_names));
  }
  return OkStatus();
}

// Signs a certificate for `key` described by `spec`. A null issuer makes it self-signed.
Result<X509Ptr> MakeCertificate(const CertSpec& spec, EVP_PKEY* key, X509* issuer,
                                EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (!cert) return OpenSslError("X509_new");
  X509_set_version(cert.get(), 2);  // v3
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7L * 24 * 60 * 60);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sluice tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  SLUICE_RETURN_IF_ERROR(AddExtensions(cert.get(), signer, spec));
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    return OpenSslError("X509_sign");
  }
  return cert;
}

Status WritePem(const std::string& path, const std::vector<X509*>& certs, EVP_PKEY* key) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) return OpenSslError("cannot write " + path);
  for (X509* cert : certs) {
    if (PEM_write_bio_X509(bio.get(), cert) != 1) return OpenSslError("PEM cert " + path);
  }
  if (key != nullptr &&
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("PEM key " + path);
  }
  return OkStatus();
}

Result<std::string> MakeTempDirectory() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) return InternalError("test certificate: no temp directory: " + ec.message());
  std::string pattern = (base / "sluice-test-cert-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return InternalError("test certificate: mkdtemp failed in " + base.string());
  }
  return pattern;
}

}  // namespace

Result<TestCertificate> MakeTestCertificate() {
  PkeyPtr ca_key(EVP_EC_gen("P-256"));
  PkeyPtr server_key(EVP_EC_gen("P-256"));
  if (!ca_key || !server_key) return OpenSslError("EVP_EC_gen");

  CertSpec ca_spec{
      .common_name = "sluice test CA", .serial = 1, .is_ca = true, .subject_alt_names = ""};
  SLUICE_ASSIGN_OR_RETURN(X509Ptr ca, MakeCertificate(ca_spec, ca_key.get(), nullptr, nullptr));
  CertSpec server_spec{.common_name = "localhost",
                       .serial = 2,
                       .is_ca = false,
                       .subject_alt_names = "DNS:localhost,IP:127.0.0.1"};
  SLUICE_ASSIGN_OR_RETURN(X509Ptr server,
                          MakeCertificate(server_spec, server_key.get(), ca.get(), ca_key.get()));

  TestCertificate out;
  SLUICE_ASSIGN_OR_RETURN(out.directory, MakeTempDirectory());
  out.ca_file = out.directory + "/ca.pem";
  out.chain_file = out.directory + "/server-chain.pem";
  out.private_key_file = out.directory + "/server-key.pem";
  SLUICE_RETURN_IF_ERROR(WritePem(out.ca_file, {ca.get()}, nullptr));
  SLUICE_RETURN_IF_ERROR(WritePem(out.chain_file, {server.get(), ca.get()}, nullptr));
  SLUICE_RETURN_IF_ERROR(WritePem(out.private_key_file, {}, server_key.get()));
  return out;
}

}  // namespace sluice::http::testing
