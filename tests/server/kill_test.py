"""A server killed (SIGKILL) in the middle of 1,000 concurrent submissions loses
nothing it confirmed (issue 15, "Bad input and faults"): 50 clients send 1,000
SYNTHETIC submissions (20 each, HTTP Digest as ODK Collect) to `serve` on a SQLite
store; once 300 have been answered 201 the server is killed with SIGKILL, mid-
request for many. After a restart on the same file:
  - every submission answered 201 is in the store;
  - none is half-stored: each stored submission has all its answers and exactly the
    XML it was sent with (attachment submission.xml), and the file passes SQLite's
    integrity check;
  - the clients' retries of everything not confirmed succeed (201, or 202 for those
    stored before the kill whose answer never arrived), and each instanceID is
    stored once: 1,000 submissions in the end."""
import hashlib
import os
import sqlite3
import sys
import tempfile
import threading
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from serverlib import (Client, Server, add_user, check, multipart, run)  # noqa: E402

CLIENTS = 50
EACH = 20
KILL_AFTER = 300

tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "survey.db")
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label\ntext,org_name,Organisation\ninteger,staff,Staff\n"
            "text,remarks,Remarks\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("list_name,name,label\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title\nkill_demo,1,Kill demo\n")
os.system(f"/usr/bin/python3 tools/xlsform-from-csv {src} {tmp}/kill_demo.xlsx")
run("form", "publish", "--db", db, tmp + "/kill_demo.xlsx")
add_user(db, "sokha", "interviewer", "sokha-secret-1")


def instance(iid, n):
    return (f'<?xml version="1.0"?><data xmlns:orx="http://openrosa.org/xforms" id="kill_demo" '
            f'version="1"><org_name>Org {n}</org_name><staff>{n % 97}</staff>'
            f"<remarks>{'x' * (n % 50)}</remarks>"
            f"<meta><instanceID>{iid}</instanceID></meta></data>").encode()


work = []  # (instance id, xml)
for n in range(CLIENTS * EACH):
    iid = "uuid:" + str(uuid.uuid4())
    work.append((iid, instance(iid, n)))

lock = threading.Lock()
confirmed = set()  # answered 201 or 202 before the kill
answered = threading.Event()
killed = threading.Event()


def send(client, iid, xml):
    body, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml", xml)])
    r, _ = client.request("POST", "/submission", body=body,
                          headers={"Content-Type": ctype, "X-OpenRosa-Version": "1.0"})
    return r.status


def worker(server, items):
    client = Client(server, "sokha", "sokha-secret-1")
    for iid, xml in items:
        if killed.is_set():
            return
        try:
            status = send(client, iid, xml)
        except Exception:  # the server died under this request
            return
        if status in (201, 202) and not killed.is_set():
            with lock:
                confirmed.add(iid)
                if len(confirmed) >= KILL_AFTER:
                    answered.set()


server = Server(db)
threads = [threading.Thread(target=worker, args=(server, work[i::CLIENTS]))
           for i in range(CLIENTS)]
for t in threads:
    t.start()
check(answered.wait(timeout=600), "300 submissions were not answered within 10 minutes")
with lock:
    killed.set()
    server.proc.kill()  # SIGKILL: no shutdown, requests in flight cut off
    server.proc.wait()
    sure = set(confirmed)
for t in threads:
    t.join(timeout=60)
check(len(sure) >= KILL_AFTER, f"only {len(sure)} confirmed")

# After the kill, before any restart: the file is whole and holds every confirmed one.
conn = sqlite3.connect(db)
check(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity check")
stored = {row[0] for row in conn.execute("SELECT instance_id FROM submissions")}
missing = sure - stored
check(not missing, f"{len(missing)} submissions answered 201 are not in the store: "
      f"{sorted(missing)[:3]}")
xml_of = dict(work)
rows = conn.execute(
    "SELECT s.instance_id, b.data, (SELECT count(*) FROM attachments a2 "
    "WHERE a2.submission_id = s.id) FROM submissions s "
    "JOIN attachments a ON a.submission_id = s.id AND a.name = 'submission.xml' "
    "JOIN blobs b ON b.sha256 = a.sha256").fetchall()
check(len(rows) == len(stored), f"{len(stored) - len(rows)} stored without their XML")
for iid, data, files in rows:
    check(bytes(data) == xml_of[iid] and files == 1, f"{iid}: half-stored or another XML")
conn.close()
print(f"killed with {len(sure)} confirmed, {len(stored)} stored "
      f"({len(stored) - len(sure)} stored whose answer was cut off)")

# Restart; the clients retry everything they did not see confirmed.
server = Server(db)
client = Client(server, "sokha", "sokha-secret-1")
again = {201: 0, 202: 0}
for iid, xml in work:
    if iid in sure:
        continue
    status = send(client, iid, xml)
    check(status in (201, 202), f"retry of {iid}: {status}")
    check(status == 202 or iid not in stored, f"{iid} was stored before but answered 201")
    again[status] += 1
check(again[202] == len(stored) - len(sure), f"202s {again[202]} vs {len(stored) - len(sure)}")
code, _ = server.stop()
check(code == 0, f"serve exited {code}")
conn = sqlite3.connect(db)
count = conn.execute("SELECT count(*), count(DISTINCT instance_id) FROM submissions").fetchone()
check(count == (CLIENTS * EACH, CLIENTS * EACH), f"in the end: {count}")
digest = hashlib.sha256()
for (data,) in conn.execute(
        "SELECT b.data FROM submissions s JOIN attachments a ON a.submission_id = s.id "
        "JOIN blobs b ON b.sha256 = a.sha256 ORDER BY s.instance_id"):
    digest.update(bytes(data))
want = hashlib.sha256()
for iid, xml in sorted(work):
    want.update(xml)
check(digest.hexdigest() == want.hexdigest(), "the stored XMLs are the ones sent")
print(f"PASS: retries {again[201]} x 201, {again[202]} x 202; 1,000 stored once each")
