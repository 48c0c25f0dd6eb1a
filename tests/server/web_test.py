"""What the browser app (issue 16) needs from `ngosurvey serve`, over real HTTP on
loopback: its files from --web-root at / and /web/... (Content-Type of .wasm, .mjs,
.webmanifest; ETag and 304; a Content-Security-Policy that allows
'wasm-unsafe-eval' and no other origin; no directory listing; no way out of the
root by "..", encoded slashes, dot files or a symbolic link), and browser sessions:
POST /api/v1/session (JSON or form fields User/Password) sets an HttpOnly,
SameSite=Strict cookie and returns a CSRF token; GET says who is logged in; state-
changing requests with the cookie need X-CSRF-Token (OpenRosa POST /submission
included); a forged or ended session is 401 without a Digest challenge (no browser
password dialog); sessions survive a restart and work on a second server on the
same database; a new password ends them; failed logins are limited as for Digest."""
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from serverlib import (Client, Server, add_user, check, multipart, run)  # noqa: E402

tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "survey.db")
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label\ntext,org_name,Organisation\ninteger,staff,Staff\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("list_name,name,label\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title\nweb_demo,1,Web demo\n")
subprocess.run(["/usr/bin/python3", "tools/xlsform-from-csv", src, tmp + "/web_demo.xlsx"],
               check=True)
run("form", "publish", "--db", db, tmp + "/web_demo.xlsx")
add_user(db, "sokha", "interviewer", "sokha-secret-1", forms="web_demo")
add_user(db, "dara", "interviewer", "dara-secret-22", forms="web_demo")

# The web root (SYNTHETIC files), a secret beside it, and ways to try to reach it.
web = os.path.join(tmp, "web")
os.makedirs(os.path.join(web, "sub"))
files = {
    "index.html": b"<!doctype html><title>ngosurvey</title><script type=module src=web/app.mjs>"
                  b"</script>",
    "app.mjs": b"export const app = 1;\n",
    "engine.wasm": b"\x00asm\x01\x00\x00\x00",
    "manifest.webmanifest": b'{"name": "ngosurvey"}',
    "sub/style.css": b"body { margin: 0 }\n",
    ".hidden": b"dot file",
}
for name, data in files.items():
    with open(os.path.join(web, name), "wb") as f:
        f.write(data)
secret = b"SECRET-OUTSIDE-THE-ROOT"
with open(os.path.join(tmp, "secret.txt"), "wb") as f:
    f.write(secret)
os.symlink(os.path.join(tmp, "secret.txt"), os.path.join(web, "link.txt"))

server = Server(db, "--web-root", web)
anonymous = Client(server)


def get(client, path, headers=None):
    return client.raw("GET", path, headers=headers)


# --- static files: no account needed ---
for path, name, ctype in [("/", "index.html", "text/html; charset=utf-8"),
                          ("/web/", "index.html", "text/html; charset=utf-8"),
                          ("/web/app.mjs", "app.mjs", "text/javascript; charset=utf-8"),
                          ("/web/engine.wasm", "engine.wasm", "application/wasm"),
                          ("/web/manifest.webmanifest", "manifest.webmanifest",
                           "application/manifest+json"),
                          ("/web/sub/style.css", "sub/style.css", "text/css; charset=utf-8")]:
    r, body = get(anonymous, path)
    check(r.status == 200, f"{path}: {r.status} {body[:200]}")
    check(body == files[name], f"{path}: the bytes of {name}")
    check(r.getheader("Content-Type") == ctype, f"{path}: Content-Type {r.getheader('Content-Type')}")
    csp = r.getheader("Content-Security-Policy") or ""
    check("'wasm-unsafe-eval'" in csp, f"{path}: CSP without wasm-unsafe-eval: {csp}")
    check(not re.search(r"https?:|\*|'unsafe-eval'", csp), f"{path}: CSP allows another origin: {csp}")
    check("default-src 'self'" in csp and "object-src 'none'" in csp, f"CSP: {csp}")
    check(r.getheader("X-Content-Type-Options") == "nosniff", f"{path}: nosniff")
    check(re.fullmatch(r'"[0-9a-f]{32}"', r.getheader("ETag") or ""), f"{path}: ETag")

r, _ = get(anonymous, "/web/app.mjs")
etag = r.getheader("ETag")
r, body = get(anonymous, "/web/app.mjs", {"If-None-Match": etag})
check(r.status == 304 and body == b"", f"If-None-Match: {r.status} {body}")
check(r.getheader("ETag") == etag, "304 carries the ETag")
r, body = get(anonymous, "/web/app.mjs", {"If-None-Match": '"0000", ' + etag})
check(r.status == 304, f"If-None-Match list: {r.status}")
with open(os.path.join(web, "app.mjs"), "wb") as f:
    f.write(b"export const app = 2;\n")
r, body = get(anonymous, "/web/app.mjs", {"If-None-Match": etag})
check(r.status == 200 and body == b"export const app = 2;\n", f"changed file: {r.status} {body}")
check(r.getheader("ETag") != etag, "a changed file has another ETag")
r, body = anonymous.raw("HEAD", "/web/engine.wasm")
check(r.status == 200 and body == b"", f"HEAD: {r.status}")
r, body = anonymous.raw("POST", "/web/app.mjs", body=b"x")
check(r.status == 405 and "GET" in (r.getheader("Allow") or ""), f"POST a file: {r.status}")

# Folders are not listed; nothing outside the root, nor dot files, is served.
for path in ["/web/sub", "/web/sub/", "/web/../secret.txt", "/web/%2e%2e/secret.txt",
             "/web/..%2fsecret.txt", "/web/sub/../../secret.txt", "/web/sub/%2e%2e/%2e%2e/secret.txt",
             "/web/%2e%2e%2fsecret.txt", "/web//secret.txt", "/web/link.txt", "/web/.hidden",
             "/web/sub/..%5c..%5csecret.txt", "/web/missing.js",
             "/../secret.txt", "/web/./index.html"]:
    r, body = get(anonymous, path)
    check(r.status in (400, 401, 404), f"{path}: {r.status}")
    check(secret not in body and b"style.css" not in body and b"dot file" not in body,
          f"{path} gave away a file: {body[:200]}")

# --- browser sessions ---
r, body = anonymous.raw("GET", "/api/v1/session")
check(r.status == 401 and r.getheader("WWW-Authenticate") is None,
      f"no session: {r.status} {r.getheader('WWW-Authenticate')}")


def login(user, password, form=False, on=None):
    c = Client(on or server)
    if form:
        payload = f"User={user}&Password={password}".encode()
        ctype = "application/x-www-form-urlencoded"
    else:
        payload = json.dumps({"user": user, "password": password}).encode()
        ctype = "application/json"
    r, body = c.raw("POST", "/api/v1/session", body=payload, headers={"Content-Type": ctype})
    return c, r, body


def cookie_of(r):
    header = r.getheader("Set-Cookie") or ""
    match = re.match(r"ngosurvey_session=([0-9a-f]*);", header)
    check(match, f"no session cookie: {header}")
    return match.group(1), header


_, r, body = login("sokha", "wrong-password")
check(r.status == 401 and r.getheader("WWW-Authenticate") is None, f"wrong password: {r.status}")
check(r.getheader("Set-Cookie") is None, "no cookie for a wrong password")
c, r, body = login("sokha", "sokha-secret-1")
check(r.status == 200, f"login: {r.status} {body}")
token, header = cookie_of(r)
check(len(token) == 64, "a 256-bit token")
for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"]:
    check(attribute in header, f"cookie without {attribute}: {header}")
check("Secure" not in header, "Secure only over TLS")
me = json.loads(body)
check(me["user"] == "sokha" and me["role"] == "interviewer", f"login body: {me}")
check([f["form_id"] for f in me["forms"]] == ["web_demo"] and me["forms"][0]["may_submit"],
      f"forms: {me['forms']}")
csrf = me["csrf_token"]
check(re.fullmatch(r"[0-9a-f]{64}", csrf) and csrf != token, f"csrf token: {csrf}")
jar = {"Cookie": "theme=dark; ngosurvey_session=" + token}

r, body = c.raw("GET", "/api/v1/session", headers=jar)
check(r.status == 200 and json.loads(body)["csrf_token"] == csrf, f"who am I: {r.status} {body}")
r, body = c.raw("GET", "/api/v1/forms", headers=jar)
check(r.status == 200 and b"web_demo" in body, f"API with the cookie: {r.status} {body}")
r, body = c.raw("GET", "/formList", headers=jar)
check(r.status == 200 and b"<formID>web_demo</formID>" in body, f"formList: {r.status}")


def instance(iid):
    return (f'<?xml version="1.0"?><data xmlns:orx="http://openrosa.org/xforms" id="web_demo" '
            f'version="1"><org_name>Hope Centre</org_name><staff>7</staff>'
            f"<meta><instanceID>{iid}</instanceID></meta></data>").encode()


iid = "uuid:" + str(uuid.uuid4())
payload, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml", instance(iid))])
r, body = c.raw("POST", "/submission", body=payload,
                headers=dict(jar, **{"Content-Type": ctype, "X-OpenRosa-Version": "1.0"}))
check(r.status == 403 and b"CSRF" in body, f"submission without the CSRF token: {r.status} {body}")
r, body = c.raw("POST", "/submission", body=payload,
                headers=dict(jar, **{"Content-Type": ctype, "X-CSRF-Token": "0" * 64}))
check(r.status == 403, f"wrong CSRF token: {r.status}")
r, body = c.raw("POST", "/submission", body=payload,
                headers=dict(jar, **{"Content-Type": ctype, "X-CSRF-Token": csrf}))
check(r.status == 201 and b"OpenRosaResponse" in body, f"submission with the session: {r.status} {body}")
r, body = c.raw("GET", "/api/v1/forms/web_demo/submissions", headers=jar)
got = json.loads(body)["submissions"]
check([s["instance_id"] for s in got] == [iid] and got[0]["submitted_by"] == "sokha",
      f"the interviewer's own submission: {got}")

# Forged and malformed sessions: 401, no challenge, the cookie cleared.
for forged in ["f" * 64, "xyz", ""]:
    r, body = anonymous.raw("GET", "/api/v1/forms", headers={"Cookie": "ngosurvey_session=" + forged})
    check(r.status == 401 and r.getheader("WWW-Authenticate") is None,
          f"forged session {forged!r}: {r.status} {r.getheader('WWW-Authenticate')}")
    check("Max-Age=0" in (r.getheader("Set-Cookie") or ""), "a refused session's cookie is cleared")

# A form login, and the session on a restarted server and on a second server of
# the same database.
c2, r, body = login("dara", "dara-secret-22", form=True)
check(r.status == 200, f"form login: {r.status} {body}")
dara_token, _ = cookie_of(r)
dara_csrf = json.loads(body)["csrf_token"]
server.stop()
server = Server(db, "--web-root", web)
other = Server(db)
for s in (server, other):
    r, body = Client(s).raw("GET", "/api/v1/session", headers=jar)
    check(r.status == 200 and json.loads(body)["user"] == "sokha", f"after restart: {r.status} {body}")
# Another interviewer's session does not read sokha's submission.
r, body = Client(other).raw("GET", "/api/v1/forms/web_demo/submissions",
                            headers={"Cookie": "ngosurvey_session=" + dara_token})
check(r.status == 200 and json.loads(body)["submissions"] == [], f"dara sees: {body}")

# Logging out needs the CSRF token; afterwards the session is gone on every server.
d = Client(other)
r, body = d.raw("DELETE", "/api/v1/session", headers={"Cookie": "ngosurvey_session=" + dara_token})
check(r.status == 403, f"logout without CSRF: {r.status}")
r, body = d.raw("DELETE", "/api/v1/session", headers={"Cookie": "ngosurvey_session=" + dara_token,
                                                      "X-CSRF-Token": dara_csrf})
check(r.status == 200 and "Max-Age=0" in (r.getheader("Set-Cookie") or ""), f"logout: {r.status}")
r, body = Client(server).raw("GET", "/api/v1/session",
                             headers={"Cookie": "ngosurvey_session=" + dara_token})
check(r.status == 401, f"ended session on the other server: {r.status}")

# A new password ends the account's sessions.
run("users", "passwd", "--db", db, "sokha", "--password-stdin", stdin="sokha-secret-2\n")
r, body = Client(server).raw("GET", "/api/v1/session", headers=jar)
check(r.status == 401, f"session after a new password: {r.status} {body}")

# Failed logins are limited as for Digest: the sixth within a minute is 429 (on the
# second server, whose counts hold no earlier failure).
for i in range(5):
    _, r, _ = login("sokha", "wrong-%d" % i, on=other)
    check(r.status == 401, f"failure {i}: {r.status}")
_, r, body = login("sokha", "sokha-secret-2", on=other)
check(r.status == 429 and int(r.getheader("Retry-After") or 0) > 0, f"sixth: {r.status} {body}")

for s in (server, other):
    code, _ = s.stop()
    check(code == 0, f"serve exited {code}")
log = server.log_text() + other.log_text()
check(token not in log and csrf not in log and "sokha-secret" not in log and "dara-secret" not in log,
      "a secret in the log")
print("PASS")
