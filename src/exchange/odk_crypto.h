// exchange: ODK encrypted forms (the ODK XForms encryption specification,
// docs/formats/odk-encryption.md), with OpenSSL's libcrypto: the RSA key pair of a
// form (`ngosurvey keys generate`) and the decryption of encrypted submissions.
//
// An encrypted submission is a manifest (form/odk_instance.h's EncryptedEnvelope)
// beside the encrypted files it names. Decryption:
//   1. the AES-256 key: base64EncryptedKey, RSA-OAEP with SHA-256 (and MGF1 with
//      SHA-256, as Java's "RSA/NONE/OAEPWithSHA256AndMGF1Padding" and ODK Central
//      do; MGF1 with SHA-1, as Enketo writes it, is accepted too);
//   2. the IVs: MD5(instanceID bytes + key bytes) is a 16-byte seed; before each
//      file (media in manifest order, then the XML), byte (counter mod 16) of the
//      seed is incremented, the counter incremented, and the seed is the IV;
//   3. each file: AES-256-CFB (128-bit feedback) then PKCS#5/#7 padding removed;
//   4. the signature: RSA-OAEP (as 1.) of MD5 over the lines form id, version (when
//      the form has one), base64EncryptedKey, instanceID, then NAME::MD5HEX of each
//      decrypted file (media, then the XML) with NAME its file name without ".enc",
//      each line ending in "\n"; a mismatch is tampering (or a missing file).
// Errors name the manifest's path:
//   ODC001 the private key cannot be read (not a PEM private key, or the wrong
//          passphrase), or no passphrase for a new key
//   ODC002 the submission key does not unwrap with this private key (another key)
//   ODC003 an encrypted file missing, truncated or damaged (bad padding)
//   ODC004 the signature does not match (tampered), or the decrypted submission's
//          instanceID is not the manifest's
//   ODC005 base64 that does not decode
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "form/odk_instance.h"

namespace ngosurvey::exchange {

// A new RSA-2048 key pair: the private key as PKCS#8 PEM encrypted with
// `passphrase` (AES-256-CBC, PBKDF2), the public key as a SubjectPublicKeyInfo PEM,
// and the public key's base64 DER on one line: the XLSForm settings' public_key.
struct KeyPair {
  std::string private_pem;
  std::string public_pem;
  std::string public_key_base64;
};
Result<KeyPair> GenerateKeyPair(std::string_view passphrase);

// A form's private key, loaded once for many submissions.
class PrivateKey {
 public:
  // Reads a PEM private key (PKCS#8 encrypted or not, or PKCS#1) with `passphrase`;
  // `file` names it in errors (ODC001).
  static Result<std::unique_ptr<PrivateKey>> Load(std::string_view pem, std::string_view passphrase,
                                                  const std::string& file);
  ~PrivateKey();
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;

  struct Impl;

 private:
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct DecryptAccess;
};

// What decryption gives: the submission's XML and its media, each under its name
// without ".enc".
struct DecryptedSubmission {
  std::string xml;
  std::vector<std::pair<std::string, std::string>> media;  // (name, bytes), in order
};

// Reads an encrypted file named in the manifest (its bytes), or an error.
using EncryptedFileReader = std::function<Result<std::string>(const std::string& name)>;

// Decrypts the submission whose manifest `head` + `envelope` (form id, version,
// instance id) lies at `manifest_path`, reading the encrypted files through `read`,
// and checks its signature. Nothing is returned unless every file decrypts and the
// signature matches.
Result<DecryptedSubmission> DecryptSubmission(const form::OdkInstance& manifest,
                                              const PrivateKey& key,
                                              const EncryptedFileReader& read,
                                              const std::string& manifest_path);

}  // namespace ngosurvey::exchange
