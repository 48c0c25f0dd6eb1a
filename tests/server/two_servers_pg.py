"""Two `serve` processes on one PostgreSQL database (issue 15, item 6), run under
tests/store/with_postgres.sh (CTest test server_two_servers_pg): the form and the
accounts are made once through the CLI on the database; then 40 clients send 400
SYNTHETIC submissions, each one to BOTH servers at once (the same instanceID racing
on two machines, as a client retrying through a load balancer would), plus a
different XML under 20 of those instanceIDs. Every submission must be answered 201
by one server and 202 by the other (or 202 twice is impossible: exactly one 201),
the different XMLs 409, each instanceID stored exactly once with the XML sent, no
write lost; a browser session made on one server works on the other; the access log
has the reads made through both."""
import json
import os
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from serverlib import (Client, Server, add_user, check, fail, multipart, run)  # noqa: E402

base = os.environ.get("NGOSURVEY_TEST_POSTGRES")
pgbin = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
if not base:
    fail("run under tests/store/with_postgres.sh (NGOSURVEY_TEST_POSTGRES is not set)")
subprocess.run([pgbin + "/psql", "-X", "-q", "-d", base + "/postgres", "-c",
                "CREATE DATABASE two_servers"], check=True)
db = base + "/two_servers"

import tempfile  # noqa: E402

tmp = tempfile.mkdtemp()
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label\ntext,org_name,Organisation\ninteger,staff,Staff\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("list_name,name,label\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title\ntwo_demo,1,Two servers demo\n")
subprocess.run(["/usr/bin/python3", "tools/xlsform-from-csv", src, tmp + "/two_demo.xlsx"],
               check=True)
run("form", "publish", "--db", db, tmp + "/two_demo.xlsx")
add_user(db, "sokha", "interviewer", "sokha-secret-1")
add_user(db, "lan", "supervisor", "lan-secret-22")

a = Server(db)
b = Server(db)


def instance(iid, n, staff=None):
    staff = n % 90 if staff is None else staff
    return (f'<?xml version="1.0"?><data xmlns:orx="http://openrosa.org/xforms" id="two_demo" '
            f'version="1"><org_name>Org {n}</org_name><staff>{staff}</staff>'
            f"<meta><instanceID>{iid}</instanceID></meta></data>").encode()


local = threading.local()


def client(server):
    key = "c%d" % server.port
    if not hasattr(local, key):
        setattr(local, key, Client(server, "sokha", "sokha-secret-1"))
    return getattr(local, key)


def send(server, xml):
    body, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml", xml)])
    r, _ = client(server).request("POST", "/submission", body=body,
                                  headers={"Content-Type": ctype, "X-OpenRosa-Version": "1.0"})
    return r.status


work = [("uuid:" + str(uuid.uuid4()), n) for n in range(400)]
with ThreadPoolExecutor(max_workers=40) as pool:
    futures = []
    for iid, n in work:
        xml = instance(iid, n)
        futures.append((iid, pool.submit(send, a, xml), pool.submit(send, b, xml)))
    answers = {iid: sorted([fa.result(), fb.result()]) for iid, fa, fb in futures}
for iid, statuses in answers.items():
    check(statuses == [201, 202], f"{iid}: the two servers answered {statuses}")

# Another XML under a known instanceID is refused by either server.
with ThreadPoolExecutor(max_workers=20) as pool:
    conflicts = [pool.submit(send, (a, b)[n % 2], instance(iid, n, staff=999))
                 for iid, n in work[:20]]
    check(all(f.result() == 409 for f in conflicts), "a different XML was not refused")

# Each instanceID once, with the XML that was sent, on both servers' view.
supervisor = Client(b, "lan", "lan-secret-22")
seen = {}
url = "/api/v1/forms/two_demo/submissions?limit=1000"
while url:
    r, body = supervisor.request("GET", url)
    check(r.status == 200, f"listing: {r.status} {body[:200]}")
    page = json.loads(body)
    for s in page["submissions"]:
        check(s["instance_id"] not in seen, f"{s['instance_id']} listed twice")
        seen[s["instance_id"]] = s
    url = page["next"] and page["next"].replace(b.base, "")
check(len(seen) == 400, f"{len(seen)} submissions stored, 400 sent")
for iid, n in work:
    answers_of = seen[iid]["answers"]
    check(answers_of["staff"]["value"] == str(n % 90) and seen[iid]["submitted_by"] == "sokha",
          f"{iid}: {answers_of}")
r, xml = Client(a, "lan", "lan-secret-22").request(
    "GET", f"/api/v1/forms/two_demo/submissions/{work[7][0]}/attachments/submission.xml")
check(r.status == 200 and xml == instance(work[7][0], 7), "the stored XML is the one sent")

# A browser session made on one server is accepted by the other.
login = Client(a)
r, body = login.raw("POST", "/api/v1/session", body=json.dumps(
    {"user": "lan", "password": "lan-secret-22"}).encode(),
    headers={"Content-Type": "application/json"})
check(r.status == 200, f"login on A: {r.status} {body}")
cookie = r.getheader("Set-Cookie").split(";")[0]
r, body = Client(b).raw("GET", "/api/v1/session", headers={"Cookie": cookie})
check(r.status == 200 and json.loads(body)["user"] == "lan", f"session on B: {r.status} {body}")

for s in (a, b):
    code, _ = s.stop()
    check(code == 0, f"serve exited {code}")
out = subprocess.run([pgbin + "/psql", "-X", "-q", "-A", "-t", "-d", db, "-c",
                      "SELECT count(*), count(DISTINCT instance_id) FROM submissions; "
                      "SELECT count(*) FROM access_log WHERE who = 'lan'"],
                     capture_output=True, text=True, check=True).stdout.split()
check(out[0] == "400|400", f"submissions in the database: {out[0]}")
check(int(out[1]) >= 2, f"reads in the access log: {out[1]}")
print("PASS")
