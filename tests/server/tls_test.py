"""`ngosurvey serve --tls-cert C --tls-key K` for real (issue 15): a SYNTHETIC self-signed
certificate made here with Debian's openssl; over HTTPS (the client checks the
certificate against it), formList with HTTP Digest as ODK Collect does it, Basic accepted
(and a wrong Basic password refused), a submission answered 201; the same account's
Basic refused over plain HTTP with a Digest challenge; and at start, unusable TLS files
are a clear error naming what is wrong (exit status not 0, nothing served): a key that
does not belong to the certificate, the files swapped, a file that is not PEM, one of the
two missing."""
import base64
import hashlib
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from serverlib import (NGOSURVEY, Client, Server, add_user, check, fail, multipart,  # noqa: E402
                       run)

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
if not os.path.exists(OPENSSL):
    fail("Debian's openssl is missing (tools/install-deps installs it)")

tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "survey.db")


def make_certificate(name):
    key, cert = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".crt")
    done = subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
    check(done.returncode == 0, "openssl req: " + done.stderr)
    return cert, key


cert, key = make_certificate("server")
other_cert, other_key = make_certificate("other")
not_pem = os.path.join(tmp, "not.pem")
with open(not_pem, "w") as f:
    f.write("this is not a certificate\n")

# A SYNTHETIC one-question form.
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label\ntext,org_name,Organisation\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("list_name,name,label\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title\ntls_demo,1,TLS demo\n")
subprocess.run(["/usr/bin/python3", "tools/xlsform-from-csv", src, tmp + "/tls_demo.xlsx"],
               check=True)
run("form", "publish", "--db", db, tmp + "/tls_demo.xlsx")
add_user(db, "sokha", "interviewer", "sokha-secret-1")

context = ssl.create_default_context(cafile=cert)  # verifies the chain and 127.0.0.1


class TlsClient(Client):
    """serverlib's Client (Digest as Collect does it) over HTTPS."""

    def __init__(self, server, user=None, password=None, headers=None):
        super().__init__(server, user, password, headers)
        self.conn.close()
        self.conn = self.connect()

    def connect(self):
        return http.client.HTTPSConnection("127.0.0.1", self.server.port, timeout=30,
                                           context=context)

    def raw(self, method, path, body=None, headers=None):
        all_headers = dict(self.extra)
        all_headers.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException):
            self.conn.close()
            self.conn = self.connect()
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = self.connect()
        return response, data


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


server = Server(db, "--tls-cert", cert, "--tls-key", key)
try:
    check(server.scheme == "https", f"serve announced {server.scheme}, not https")
    # Digest over HTTPS, as ODK Collect: challenged, then formList.
    collect = TlsClient(server, "sokha", "sokha-secret-1", {"X-OpenRosa-Version": "1.0"})
    r, body = collect.request("GET", "/formList")
    check(r.status == 200, f"formList over HTTPS with Digest: {r.status} {body[:200]}")
    check(b"<formID>tls_demo</formID>" in body, f"formList without the form: {body[:300]}")
    url = re.search(rb"<downloadUrl>([^<]+)</downloadUrl>", body)
    check(url and url.group(1).startswith(f"https://127.0.0.1:{server.port}/".encode()),
          f"downloadUrl not https: {url and url.group(1)}")
    r, xform = collect.request("GET", "/forms/tls_demo/form.xml")
    check(r.status == 200 and b"<h:html" in xform, f"form download over HTTPS: {r.status}")
    md5 = re.search(rb"<hash>md5:([0-9a-f]{32})</hash>", body).group(1).decode()
    check(hashlib.md5(xform).hexdigest() == md5, "the XForm's md5 is not formList's")
    iid = "uuid:" + str(uuid.uuid4())
    xml = (f'<?xml version="1.0"?><data id="tls_demo" version="1"><org_name>Org over TLS'
           f"</org_name><meta><instanceID>{iid}</instanceID></meta></data>").encode()
    payload, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml", xml)])
    r, body = collect.request("POST", "/submission", body=payload,
                              headers={"Content-Type": ctype})
    check(r.status == 201, f"submission over HTTPS: {r.status} {body[:200]}")

    # Basic over TLS: accepted with the right password, refused with a wrong one.
    plain = TlsClient(server)
    r, body = plain.request("GET", "/formList",
                            headers={"Authorization": basic("sokha", "sokha-secret-1")})
    check(r.status == 200 and b"tls_demo" in body, f"Basic over HTTPS: {r.status}")
    r, _ = plain.request("GET", "/formList",
                         headers={"Authorization": basic("sokha", "wrong-password")})
    check(r.status == 401, f"Basic over HTTPS with a wrong password: {r.status}")
    # The log names the account, never the password or the authorization header.
    log = server.log_text()
    check("sokha-secret-1" not in log and "Basic " not in log, "the log shows a secret")

    # Plain HTTP to the HTTPS port gets no HTTP answer.
    raw = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        raw.request("GET", "/healthz")
        status = raw.getresponse().status
    except (ConnectionError, http.client.HTTPException, OSError):
        status = None
    check(status is None or status == 400, f"plain HTTP on the HTTPS port: {status}")
finally:
    code, _ = server.stop()
check(code == 0, f"serve exited {code}")

# Basic over plain HTTP: refused (401) with a Digest challenge, even with the right password.
server = Server(db)
try:
    check(server.scheme == "http", "serve without TLS announced https")
    r, _ = Client(server).request("GET", "/formList",
                                  headers={"Authorization": basic("sokha", "sokha-secret-1")})
    check(r.status == 401, f"Basic over plain HTTP: {r.status}")
    check((r.getheader("WWW-Authenticate") or "").startswith("Digest "),
          "Basic refused without a Digest challenge")
finally:
    server.stop()


def refused(what, *flags, want):
    done = subprocess.run([NGOSURVEY, "serve", "--db", db, "--listen", "127.0.0.1:0", *flags],
                          capture_output=True, text=True, timeout=60)
    check(done.returncode != 0, f"{what}: serve started (exit {done.returncode})")
    check("serving" not in done.stdout, f"{what}: serve announced itself: {done.stdout}")
    check(re.search(want, done.stderr), f"{what}: stderr does not say /{want}/:\n{done.stderr}")


refused("a key of another certificate", "--tls-cert", cert, "--tls-key", other_key,
        want=re.escape(other_key) + r": SV024: the TLS private key does not match the certificate")
refused("the files swapped", "--tls-cert", key, "--tls-key", cert,
        want=re.escape(key) + r": SV024: no PEM certificate")
refused("not PEM", "--tls-cert", cert, "--tls-key", not_pem,
        want=re.escape(not_pem) + r": SV024: no PEM private key")
refused("a missing key file", "--tls-cert", cert, "--tls-key", tmp + "/missing.key",
        want=re.escape(tmp + "/missing.key"))
refused("only the certificate", "--tls-cert", cert, want=r"SV022")
print("PASS: HTTPS with Digest and Basic, Basic refused over HTTP, bad TLS files refused at start")
