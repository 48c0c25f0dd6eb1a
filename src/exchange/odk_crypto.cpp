// ODK encrypted forms with OpenSSL 3 (odk_crypto.h; the algorithm in
// docs/formats/odk-encryption.md).
#include "exchange/odk_crypto.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <cstring>
#include <optional>

namespace ngosurvey::exchange {

struct PrivateKey::Impl {
  EVP_PKEY* pkey = nullptr;
  ~Impl() { EVP_PKEY_free(pkey); }
};

// Gives DecryptSubmission the key without exposing OpenSSL types in the header.
struct DecryptAccess {
  static EVP_PKEY* Key(const PrivateKey& key) { return key.impl_->pkey; }
};

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

// The most recent OpenSSL error, for messages (and clears the queue).
std::string OpensslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown reason";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

Result<std::string> Base64Decode(std::string_view text, const std::string& what,
                                 const Location& where) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') clean += c;
  }
  if (clean.size() % 4 != 0 || clean.empty()) {
    return MakeError("ODC005", what + " is not base64", where);
  }
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) return MakeError("ODC005", what + " is not base64", where);
  size_t padding = 0;
  if (clean.back() == '=') ++padding;
  if (clean.size() > 1 && clean[clean.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::array<unsigned char, 16> Md5(std::string_view data) {
  std::array<unsigned char, 16> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_md5(), nullptr);
  return digest;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

// RSA-OAEP with SHA-256 and MGF1 with `mgf1`; nullopt when it does not decrypt.
std::optional<std::string> RsaOaepDecrypt(EVP_PKEY* pkey, std::string_view data,
                                          const EVP_MD* mgf1) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(pkey, nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), mgf1) <= 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  size_t size = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &size, in, data.size()) <= 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::string out(size, '\0');
  if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size, in,
                       data.size()) <= 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

// MGF1 with SHA-256 first (ODK's specification), then SHA-1 (Enketo).
std::optional<std::string> Unwrap(EVP_PKEY* pkey, std::string_view data) {
  if (auto out = RsaOaepDecrypt(pkey, data, EVP_sha256())) return out;
  return RsaOaepDecrypt(pkey, data, EVP_sha1());
}

// AES-256-CFB128 with `iv`, then the PKCS#7 padding removed; nullopt when the
// length or the padding is wrong (a truncated or damaged file).
std::optional<std::string> AesCfbDecrypt(std::string_view key, const unsigned char* iv,
                                         std::string_view data) {
  if (data.empty() || data.size() % 16 != 0) return std::nullopt;
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cfb128(), nullptr,
                                 reinterpret_cast<const unsigned char*>(key.data()), iv) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::string out(data.size() + 16, '\0');
  int n = 0, tail = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_DecryptUpdate(ctx.get(), dst, &n, reinterpret_cast<const unsigned char*>(data.data()),
                        static_cast<int>(data.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), dst + n, &tail) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n) + static_cast<size_t>(tail));
  unsigned char pad = static_cast<unsigned char>(out.back());
  if (pad == 0 || pad > 16 || pad > out.size()) return std::nullopt;
  for (size_t i = out.size() - pad; i < out.size(); ++i) {
    if (static_cast<unsigned char>(out[i]) != pad) return std::nullopt;
  }
  out.resize(out.size() - pad);
  return out;
}

std::string WithoutEnc(const std::string& name) {
  static constexpr std::string_view kEnc = ".enc";
  if (name.size() > kEnc.size() &&
      name.compare(name.size() - kEnc.size(), kEnc.size(), kEnc) == 0) {
    return name.substr(0, name.size() - kEnc.size());
  }
  return name;
}

}  // namespace

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::~PrivateKey() = default;

Result<std::unique_ptr<PrivateKey>> PrivateKey::Load(std::string_view pem,
                                                     std::string_view passphrase,
                                                     const std::string& file) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::string pass(passphrase);
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
  if (!pkey) {
    std::string reason = OpensslReason();
    return MakeError("ODC001",
                     "cannot read the private key (not a PEM private key, or the wrong "
                     "passphrase): " +
                         reason,
                     Location{.file = file});
  }
  if (EVP_PKEY_base_id(pkey) != EVP_PKEY_RSA) {
    EVP_PKEY_free(pkey);
    return MakeError("ODC001", "the private key is not an RSA key", Location{.file = file});
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey = pkey;
  return std::unique_ptr<PrivateKey>(new PrivateKey(std::move(impl)));
}

Result<KeyPair> GenerateKeyPair(std::string_view passphrase) {
  if (passphrase.empty()) {
    return MakeError("ODC001", "the private key needs a passphrase (it is written encrypted)");
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(EVP_RSA_gen(2048));
  if (!pkey) return MakeError("ODC001", "cannot generate an RSA key: " + OpensslReason());
  KeyPair out;
  Bio priv(BIO_new(BIO_s_mem()));
  std::string pass(passphrase);
  if (PEM_write_bio_PKCS8PrivateKey(priv.get(), pkey.get(), EVP_aes_256_cbc(), pass.data(),
                                    static_cast<int>(pass.size()), nullptr, nullptr) != 1) {
    return MakeError("ODC001", "cannot write the private key: " + OpensslReason());
  }
  out.private_pem = BioText(priv.get());
  Bio pub(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PUBKEY(pub.get(), pkey.get()) != 1) {
    return MakeError("ODC001", "cannot write the public key: " + OpensslReason());
  }
  out.public_pem = BioText(pub.get());
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(pkey.get(), &der);
  if (size <= 0) return MakeError("ODC001", "cannot encode the public key: " + OpensslReason());
  out.public_key_base64 = Base64Encode(std::string_view(reinterpret_cast<char*>(der), size));
  OPENSSL_free(der);
  return out;
}

Result<DecryptedSubmission> DecryptSubmission(const form::OdkInstance& manifest,
                                              const PrivateKey& key,
                                              const EncryptedFileReader& read,
                                              const std::string& manifest_path) {
  Location where{.file = manifest_path};
  if (!manifest.encrypted) return MakeError("ODC003", "not an encrypted submission", where);
  const form::EncryptedEnvelope& envelope = *manifest.encrypted;
  EVP_PKEY* pkey = DecryptAccess::Key(key);
  std::string wrapped =
      NGO_TRY(Base64Decode(envelope.base64_encrypted_key, "base64EncryptedKey", where));
  std::optional<std::string> aes_key = Unwrap(pkey, wrapped);
  if (!aes_key || aes_key->size() != 32) {
    return MakeError("ODC002",
                     "base64EncryptedKey does not decrypt with this private key (the submission "
                     "was encrypted for another key)",
                     where);
  }
  std::array<unsigned char, 16> seed = Md5(manifest.instance_id + *aes_key);
  size_t counter = 0;
  std::string signed_text = manifest.form_id + "\n";
  if (!manifest.version.empty()) signed_text += manifest.version + "\n";
  signed_text += envelope.base64_encrypted_key + "\n" + manifest.instance_id + "\n";

  DecryptedSubmission out;
  auto decrypt_file = [&](const std::string& name) -> Result<std::string> {
    ++seed[counter % seed.size()];
    ++counter;
    auto data = read(name);
    if (!data) {
      return MakeError(
          "ODC003", "encrypted file " + name + " cannot be read: " + data.error().message, where);
    }
    std::optional<std::string> plain = AesCfbDecrypt(*aes_key, seed.data(), *data);
    if (!plain) {
      return MakeError("ODC003",
                       "encrypted file " + name + " is truncated or damaged (" +
                           std::to_string(data->size()) + " bytes do not decrypt)",
                       where);
    }
    std::array<unsigned char, 16> md5 = Md5(*plain);
    signed_text += WithoutEnc(name) + "::" + Hex(md5.data(), md5.size()) + "\n";
    return std::move(*plain);
  };
  for (const std::string& name : envelope.media) {
    std::string plain = NGO_TRY(decrypt_file(name));
    out.media.emplace_back(WithoutEnc(name), std::move(plain));
  }
  out.xml = NGO_TRY(decrypt_file(envelope.encrypted_xml_file));

  std::string signature =
      NGO_TRY(Base64Decode(envelope.base64_signature, "base64EncryptedElementSignature", where));
  std::optional<std::string> digest = Unwrap(pkey, signature);
  std::array<unsigned char, 16> expected = Md5(signed_text);
  if (!digest || digest->size() != expected.size() ||
      std::memcmp(digest->data(), expected.data(), expected.size()) != 0) {
    return MakeError("ODC004",
                     "the signature (base64EncryptedElementSignature) does not match the "
                     "submission: it was tampered with, or a file is missing or another",
                     where);
  }
  return out;
}

}  // namespace ngosurvey::exchange
