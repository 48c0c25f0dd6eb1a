"""Helpers for the server's end-to-end tests: start `ngosurvey serve` on a free
loopback port, and talk HTTP to it as ODK Collect does (HTTP Digest with MD5 and
qop=auth, computed here from RFC 7616, independently of the server's library).
Only the Python standard library (Debian's python3)."""
import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time

NGOSURVEY = os.environ.get("NGOSURVEY", "build/debug/ngosurvey")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def run(*args, stdin=None, want=0):
    """Runs the ngosurvey binary; fails unless it exits with `want`."""
    done = subprocess.run([NGOSURVEY, *args], input=stdin, capture_output=True, text=True)
    if done.returncode != want:
        fail(f"exit {done.returncode}, wanted {want}: {args}\n{done.stdout}\n{done.stderr}")
    return done


def add_user(db, name, role, password, forms=None):
    args = ["users", "add", "--db", db, name, "--role", role, "--password-stdin"]
    if forms:
        args += ["--forms", forms]
    run(*args, stdin=password + "\n")


class Server:
    """`ngosurvey serve` on 127.0.0.1 with a free port; stop() sends SIGTERM."""

    def __init__(self, db, *extra):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [NGOSURVEY, "serve", "--db", db, "--listen", "127.0.0.1:0", *extra],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self.proc.stdout.readline()
        match = re.match(r"serving (https?)://127\.0\.0\.1:(\d+) ", line)
        if not match:
            self.proc.kill()
            self.stderr.seek(0)
            fail("serve did not start: " + line + self.stderr.read())
        self.scheme, self.port = match.group(1), int(match.group(2))
        self.base = f"{self.scheme}://127.0.0.1:{self.port}"

    def log_lines(self):
        self.stderr.seek(0)
        return [json.loads(l) for l in self.stderr.read().splitlines() if l.startswith("{")]

    def log_text(self):
        self.stderr.seek(0)
        return self.stderr.read()

    def stop(self, timeout=15):
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("serve did not stop within %d s of SIGTERM" % timeout)
        return self.proc.returncode, out


def parse_challenge(header):
    """The parameters of a `WWW-Authenticate: Digest ...` header."""
    check(header is not None and header.startswith("Digest "), f"no Digest challenge: {header}")
    return dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest "):]))


class Client:
    """One HTTP/1.1 connection with Digest authentication as Collect does it: the
    first request is challenged (401), later ones reuse the nonce with nc + 1."""

    def __init__(self, server, user=None, password=None, headers=None):
        self.server = server
        self.user, self.password = user, password
        self.extra = headers or {}
        self.challenge = None
        self.nc = 0
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)

    def authorization(self, method, path):
        c = self.challenge
        self.nc += 1
        nc = "%08x" % self.nc
        cnonce = secrets.token_hex(8)
        ha1 = hashlib.md5(f"{self.user}:{c['realm']}:{self.password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{method}:{path}".encode()).hexdigest()
        response = hashlib.md5(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        return (f'Digest username="{self.user}", realm="{c["realm"]}", nonce="{c["nonce"]}", '
                f'uri="{path}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}", '
                f'response="{response}", opaque="{c.get("opaque", "")}"')

    def raw(self, method, path, body=None, headers=None):
        all_headers = dict(self.extra)
        all_headers.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException):
            # The server closes a connection after answering before reading a body.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        return response, data

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.user is not None and self.challenge is not None:
            headers["Authorization"] = self.authorization(method, path)
        response, data = self.raw(method, path, body, headers)
        if response.status == 401 and self.user is not None:
            self.challenge = parse_challenge(response.getheader("WWW-Authenticate"))
            self.nc = 0
            headers["Authorization"] = self.authorization(method, path)
            response, data = self.raw(method, path, body, headers)
        return response, data


def multipart(parts, boundary=None):
    """(body, content type) for parts of (name, filename or None, content type, bytes)."""
    boundary = boundary or secrets.token_hex(12)
    body = b""
    for name, filename, ctype, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += (f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
                 f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + boundary
