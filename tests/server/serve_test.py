"""`ngosurvey serve` over real HTTP on loopback (issue 15, steps 1 and 3): readiness,
X-OpenRosa-Version everywhere, HTTP Digest as ODK Collect does it, formList with the
forms each account may fill, form, manifest and media downloads whose md5 match what
formList and the manifest announce, HEAD /submission, 413 before the body is read,
Basic refused over plain HTTP, a disabled account, the failed-login limit (429 with
Retry-After, per account and per client address behind --trusted-proxy), the JSON
log lines (exactly the documented keys, no secret), a client sending one byte a
second closed while others are served, and graceful shutdown on SIGTERM."""
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from serverlib import (Client, Server, add_user, check, fail, parse_challenge, run)  # noqa: E402

tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "survey.db")
run("form", "publish", "--db", db, "examples/ngo_profile.xlsx")
# A SYNTHETIC form with a picture in its -media folder.
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label,media::image\nnote,intro,Welcome,logo.png\ntext,org,Organisation,\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("type,list_name,name,label\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title\nmedia_demo,1,Media demo\n")
os.system(f"/usr/bin/python3 tools/xlsform-from-csv {src} {tmp}/media_demo.xlsx")
os.mkdir(os.path.join(tmp, "media_demo-media"))
logo = b"\x89PNG\r\n\x1a\n synthetic picture"
with open(os.path.join(tmp, "media_demo-media", "logo.png"), "wb") as f:
    f.write(logo)
run("form", "publish", "--db", db, os.path.join(tmp, "media_demo.xlsx"))
# A legacy .xls workbook (Excel 97-2003, written at test time by tests/xls/make_xls.py with
# python3-xlwt) is published and served as an .xlsx is: its XForm is `form xform`'s.
with open(os.path.join(tmp, "xls_demo.json"), "w") as f:
    json.dump({"sheets": [
        {"name": "survey", "rows": [["type", "name", "label::English (en)", "label::Khmer (km)"],
                                    ["text", "org", "Organisation", "អង្គការ"],
                                    ["integer", "staff", "Staff", "បុគ្គលិក"]]},
        {"name": "settings", "rows": [["form_id", "version"], ["xls_demo", "2026120601"]]}]}, f)
xls_path = os.path.join(tmp, "xls_demo.xls")
made = subprocess.run(["/usr/bin/python3", "tests/xls/make_xls.py",
                       os.path.join(tmp, "xls_demo.json"), xls_path])
check(made.returncode == 0, "make_xls.py (python3-xlwt, tools/install-deps) failed")
run("form", "publish", "--db", db, xls_path)
run("form", "xform", xls_path, "-o", os.path.join(tmp, "xls_demo.xml"))
with open(os.path.join(tmp, "xls_demo.xml"), "rb") as f:
    xls_xform = f.read()

add_user(db, "sokha", "interviewer", "sokha-secret-1", forms="ngo_profile")
add_user(db, "lan", "supervisor", "lan-secret-22")
add_user(db, "vy", "analyst", "vy-secret-333")
add_user(db, "old", "interviewer", "old-secret-4444")
run("users", "disable", "--db", db, "old")

server = Server(db, "--trusted-proxy", "127.0.0.1")
try:
    anonymous = Client(server)
    r, body = anonymous.request("GET", "/healthz")
    check(r.status == 200 and b'"status":"ok"' in body, f"healthz: {r.status} {body}")
    check(r.getheader("X-OpenRosa-Version") == "1.0", "healthz without X-OpenRosa-Version")

    r, body = anonymous.request("GET", "/formList")
    check(r.status == 401, f"formList without an account: {r.status}")
    check(r.getheader("X-OpenRosa-Version") == "1.0", "401 without X-OpenRosa-Version")
    challenge = parse_challenge(r.getheader("WWW-Authenticate"))
    check(challenge.get("realm") == "ngosurvey", f"realm: {challenge}")
    check("auth" in challenge.get("qop", ""), f"qop: {challenge}")
    check(challenge.get("algorithm", "MD5").upper() == "MD5", f"algorithm: {challenge}")

    # The interviewer sees the form it works on; the supervisor both; the analyst none.
    sokha = Client(server, "sokha", "sokha-secret-1")
    r, body = sokha.request("GET", "/formList")
    check(r.status == 200, f"formList as sokha: {r.status} {body}")
    check(r.getheader("Content-Type").startswith("text/xml"), "formList is not XML")
    text = body.decode()
    check("<formID>ngo_profile</formID>" in text and "media_demo" not in text,
          "sokha's formList: " + text)
    check('xmlns="http://openrosa.org/xforms/xformsList"' in text, "formList namespace")
    check("<version>2026112501</version>" in text, "formList version")
    announced = re.search(r"<hash>md5:([0-9a-f]{32})</hash>", text).group(1)
    url = re.search(r"<downloadUrl>([^<]+)</downloadUrl>", text).group(1)
    check(url == server.base + "/forms/ngo_profile/form.xml", "downloadUrl " + url)
    check("manifestUrl" not in text, "a manifestUrl for a form without media")
    r, xform = sokha.request("GET", "/forms/ngo_profile/form.xml")
    check(r.status == 200 and b"<h:html" in xform, f"form download: {r.status}")
    check(hashlib.md5(xform).hexdigest() == announced, "the XForm's md5 is not formList's")
    # One nonce serves every URI of the server (digest.h), each request with nc + 1: no
    # new challenge after the first.
    nonce = sokha.challenge["nonce"]
    r, _ = sokha.request("GET", "/forms/ngo_profile/form.xml")
    check(r.status == 200 and sokha.nc == 3 and sokha.challenge["nonce"] == nonce,
          f"challenged again (nc {sokha.nc})")
    r, _ = sokha.request("GET", "/forms/media_demo/form.xml")
    check(r.status == 403, f"a form sokha does not work on: {r.status}")
    r, _ = sokha.request("GET", "/formList?formID=media_demo")
    check(r.status == 200, "formList?formID")

    lan = Client(server, "lan", "lan-secret-22")
    r, body = lan.request("GET", "/formList")
    text = body.decode()
    check("<formID>media_demo</formID>" in text and "<formID>ngo_profile</formID>" in text,
          "lan's formList: " + text)
    check("<formID>xls_demo</formID>" in text, "the .xls form is not in lan's formList")
    r, body = lan.request("GET", "/forms/xls_demo/form.xml")
    check(r.status == 200 and body == xls_xform,
          f"the .xls form's XForm ({r.status}) is not what `form xform` writes")
    check("បុគ្គលិក".encode() in body, "the .xls form's Khmer label")
    manifest_url = re.search(r"<manifestUrl>([^<]+)</manifestUrl>", text).group(1)
    check(manifest_url == server.base + "/forms/media_demo/manifest", manifest_url)
    r, body = lan.request("GET", "/forms/media_demo/manifest")
    text = body.decode()
    check(r.status == 200 and "<filename>logo.png</filename>" in text, "manifest: " + text)
    check(f"<hash>md5:{hashlib.md5(logo).hexdigest()}</hash>" in text, "media md5: " + text)
    r, body = lan.request("GET", "/forms/media_demo/media/logo.png")
    check(r.status == 200 and body == logo, f"media download: {r.status}")
    for path in ["/forms/media_demo/media/..%2Fsurvey.db", "/forms/media_demo/media/../x",
                 "/forms/nothing/form.xml", "/forms/media_demo/media/missing.png"]:
        r, _ = lan.request("GET", path)
        check(r.status == 404, f"{path}: {r.status}")

    vy = Client(server, "vy", "vy-secret-333")
    r, body = vy.request("GET", "/formList")
    check(r.status == 200 and b"<xform>" not in body, "an analyst's formList lists forms")

    r, _ = sokha.request("HEAD", "/submission")
    check(r.status == 204, f"HEAD /submission: {r.status}")
    check(r.getheader("X-OpenRosa-Accept-Content-Length") == str(10 * 1024 * 1024),
          "X-OpenRosa-Accept-Content-Length")
    check(r.getheader("X-OpenRosa-Version") == "1.0", "204 without X-OpenRosa-Version")

    # 413 at the headers: the 20 MB body is never sent (no Expect needed: the
    # server answers and closes before reading it).
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(b"POST /submission HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                 b"boundary=b\r\nContent-Length: 20000000\r\nX-OpenRosa-Version: 1.0\r\n\r\n")
    reply = sock.recv(4096).decode(errors="replace")
    sock.close()
    check(reply.startswith("HTTP/1.1 413"), "oversized POST: " + reply[:200])

    # Basic over plain HTTP is refused even with the right password.
    r, _ = anonymous.request("GET", "/formList",
                             headers={"Authorization": "Basic c29raGE6c29raGEtc2VjcmV0LTE="})
    check(r.status == 401, f"Basic over HTTP: {r.status}")

    old = Client(server, "old", "old-secret-4444")
    r, body = old.request("GET", "/formList")
    check(r.status == 403 and b"disabled" in body, f"a disabled account: {r.status} {body}")

    # The failed-login limit, per account: five wrong passwords from five addresses
    # (behind the trusted proxy), then the right one is refused too until the minute passes.
    for i in range(5):
        wrong = Client(server, "lan", "not-the-password", {"X-Forwarded-For": f"10.0.1.{i}"})
        r, _ = wrong.request("GET", "/formList")
        check(r.status == 401, f"wrong password #{i + 1}: {r.status}")
    right = Client(server, "lan", "lan-secret-22", {"X-Forwarded-For": "10.0.2.1"})
    r, _ = right.request("GET", "/formList")
    check(r.status == 429, f"after 5 failures: {r.status}")
    retry = int(r.getheader("Retry-After"))
    check(50 <= retry <= 60, f"Retry-After {retry}")
    # Per address: five unknown users from one address block that address for everyone.
    for i in range(5):
        Client(server, f"nobody{i}", "x" * 10, {"X-Forwarded-For": "10.0.3.9"}).request(
            "GET", "/formList")
    r, _ = Client(server, "sokha", "sokha-secret-1",
                  {"X-Forwarded-For": "203.0.113.7, 10.0.3.9"}).request("GET", "/formList")
    check(r.status == 429, f"an address after 5 failures: {r.status}")
    r, _ = Client(server, "sokha", "sokha-secret-1",
                  {"X-Forwarded-For": "10.0.3.10"}).request("GET", "/formList")
    check(r.status == 200, f"another address: {r.status}")

    # A client sending one byte a second is closed (20 s for the headers) while
    # other clients are served.
    slow = socket.create_connection(("127.0.0.1", server.port))
    started = time.monotonic()
    closed_after = None
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 100
    for byte in request:
        try:
            slow.sendall(bytes([byte]))
        except OSError:
            closed_after = time.monotonic() - started
            break
        r, _ = Client(server).request("GET", "/healthz")
        check(r.status == 200, "healthz while a slow client holds a connection")
        slow.settimeout(1.0)
        try:
            if slow.recv(1) == b"":
                closed_after = time.monotonic() - started
                break
        except socket.timeout:
            pass
        if time.monotonic() - started > 40:
            break
    check(closed_after is not None and 19 <= closed_after <= 30,
          f"the slow client was closed after {closed_after} s")
finally:
    status, out = server.stop()
check(status == 0 and "stopped" in out, f"serve after SIGTERM: exit {status}, {out}")

lines = server.log_lines()
check(len(lines) > 20, f"{len(lines)} log lines")
keys = {"time", "method", "path", "status", "bytes", "duration_ms", "user"}
for line in lines:
    check(set(line) == keys, f"log keys {sorted(line)}")
check(any(l["user"] == "sokha" and l["path"] == "/forms/ngo_profile/form.xml"
          and l["status"] == 200 and l["bytes"] > 1000 for l in lines), "no line for the download")
check(any(l["status"] == 408 for l in lines), "no 408 line for the slow client")
check(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", lines[0]["time"]), lines[0]["time"])
text = server.log_text()
for secret in ["sokha-secret-1", "lan-secret-22", "not-the-password", "Digest ", "response="]:
    check(secret not in text, "the log shows " + secret)
print("serve test: ok")
