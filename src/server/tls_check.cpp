#include "server/tls_check.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>

namespace ngosurvey::server {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// OpenSSL's reason for the last failure, and the error queue emptied.
std::string OpenSslReason() {
  unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (code != 0) {
    const char* text = ERR_reason_error_string(code);
    if (text != nullptr) reason = text;
  }
  ERR_clear_error();
  return reason.empty() ? "" : " (" + reason + ")";
}

std::unique_ptr<BIO, BioFree> ReadOnly(std::string_view pem) {
  if (pem.size() > INT_MAX) return nullptr;
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Refuses to ask for a passphrase (OpenSSL would prompt on the terminal).
int NoPassphrase(char*, int, int, void*) { return 0; }

Location File(const std::string& name) {
  Location where;
  where.file = name;
  return where;
}

}  // namespace

Status CheckTlsCredentials(std::string_view cert_pem, const std::string& cert_name,
                           std::string_view key_pem, const std::string& key_name) {
  ERR_clear_error();
  auto cert_bio = ReadOnly(cert_pem);
  std::unique_ptr<X509, X509Free> cert(
      cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, &NoPassphrase, nullptr) : nullptr);
  if (!cert) {
    return MakeError("SV024",
                     "no PEM certificate (\"-----BEGIN CERTIFICATE-----\") in the TLS certificate "
                     "file" +
                         OpenSslReason() + ": give the server's certificate with --tls-cert",
                     File(cert_name));
  }
  auto key_bio = ReadOnly(key_pem);
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, &NoPassphrase, nullptr) : nullptr);
  if (!key) {
    bool encrypted = key_pem.find("ENCRYPTED") != std::string_view::npos;
    return MakeError(
        "SV024",
        encrypted ? "the TLS private key is encrypted: the server cannot ask for its passphrase; "
                    "give an unencrypted copy (readable by the server's account only)"
                  : "no PEM private key (\"-----BEGIN PRIVATE KEY-----\") in the TLS key file" +
                        OpenSslReason() + ": give the certificate's private key with --tls-key",
        File(key_name));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return MakeError("SV024",
                     "the TLS private key does not match the certificate in " + cert_name +
                         ": give the key the certificate was made for",
                     File(key_name));
  }
  return Ok();
}

}  // namespace ngosurvey::server
