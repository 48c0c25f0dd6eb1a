// tls_check: the TLS certificate and private key of `serve --tls-cert C --tls-key K`
// checked before the server starts, so that unusable files are a clear error
// naming the file and what is wrong, rather than libmicrohttpd (GnuTLS) failing to
// start with no reason given.
//
// Error code (where: the file at fault, as named by the caller):
//   SV024 no PEM certificate in the certificate file; no PEM private key in the key
//         file (or an encrypted one: the server cannot ask for its passphrase); the
//         key is not the certificate's.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace ngosurvey::server {

// Checks that `cert_pem` holds at least one PEM certificate (the server's first,
// then its chain), `key_pem` an unencrypted PEM private key, and that the key is
// the first certificate's. `cert_name` and `key_name` name them in errors (file
// names, or the flags when the PEM did not come from a file). Never prompts.
Status CheckTlsCredentials(std::string_view cert_pem, const std::string& cert_name,
                           std::string_view key_pem, const std::string& key_name);

}  // namespace ngosurvey::server
