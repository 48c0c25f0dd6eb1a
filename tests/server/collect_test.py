"""The exchange ODK Collect performs with a server (issue 15's acceptance test),
scripted over real HTTP on loopback: formList with HTTP Digest, the form download,
HEAD /submission, then POST /submission of an instance with a photo (multipart:
xml_submission_file + the JPEG), the retry of the same POST deduplicated (stored
once, answered 202), a later POST adding a file, a different XML under the same
instanceID refused (409), an edit (meta/deprecatedID) recorded in the audit trail;
the supervisor then reads the submission through the JSON API and downloads the
photo, the other interviewer does not see it, and the analyst does not see the
sensitive answer. Bad input: a truncated body, a form the account may not fill, an
unknown form, an XML bomb, a path in an attachment's name."""
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
# A SYNTHETIC form with a photo question and a sensitive question.
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label,sensitive\n"
            "text,org_name,Organisation,\n"
            "integer,staff,Staff,\n"
            "text,victim_name,Name of the person helped,yes\n"
            "image,photo,Photo of the office,\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("list_name,name,label\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title\ncollect_demo,3,Collect demo\n")
subprocess.run(["/usr/bin/python3", "tools/xlsform-from-csv", src, tmp + "/collect_demo.xlsx"],
               check=True)
run("form", "publish", "--db", db, tmp + "/collect_demo.xlsx")
run("form", "publish", "--db", db, "examples/ngo_profile.xlsx")
add_user(db, "sokha", "interviewer", "sokha-secret-1", forms="collect_demo")
add_user(db, "dara", "interviewer", "dara-secret-22", forms="collect_demo")
add_user(db, "lan", "supervisor", "lan-secret-333", forms="collect_demo")
add_user(db, "vy", "analyst", "vy-secret-4444")


def instance(iid, staff="12", photo="1712.jpg", deprecated=None, form_id="collect_demo",
             version="3"):
    meta = f"<instanceID>{iid}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>{deprecated}</deprecatedID>"
    return (f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
            f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">'
            f"<org_name>Hope Centre</org_name><staff>{staff}</staff>"
            f"<victim_name>S. K.</victim_name><photo>{photo}</photo>"
            f"<meta>{meta}</meta></data>").encode()


photo = b"\xff\xd8\xff\xe0 SYNTHETIC JPEG " + os.urandom(4000) + b"\xff\xd9"
iid = "uuid:" + str(uuid.uuid4())
server = Server(db)
try:
    sokha = Client(server, "sokha", "sokha-secret-1")
    headers = {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2024.2.4"}
    r, body = sokha.request("GET", "/formList", headers=headers)
    check(r.status == 200 and b"<formID>collect_demo</formID>" in body, f"formList {r.status}")
    url = re.search(rb"<downloadUrl>[^<]*(/forms/collect_demo/form.xml)</downloadUrl>", body)
    r, xform = sokha.request("GET", url.group(1).decode(), headers=headers)
    check(r.status == 200 and b'id="collect_demo"' in xform, "form download")
    r, _ = sokha.request("HEAD", "/submission", headers=headers)
    check(r.status == 204, f"HEAD {r.status}")
    limit = int(r.getheader("X-OpenRosa-Accept-Content-Length"))
    check(limit >= 1024 * 1024, f"accept length {limit}")

    body, ctype = multipart([("xml_submission_file", "collect_demo.xml", "text/xml", instance(iid)),
                             ("1712.jpg", "1712.jpg", "image/jpeg", photo)])
    post_headers = dict(headers, **{"Content-Type": ctype})
    r, reply = sokha.request("POST", "/submission", body, post_headers)
    check(r.status == 201, f"POST: {r.status} {reply}")
    check(b"<OpenRosaResponse" in reply, "201 without an OpenRosaResponse")
    check(r.getheader("X-OpenRosa-Version") == "1.0", "201 without X-OpenRosa-Version")
    # The retry Collect makes when it did not see the answer: stored once.
    r, reply = sokha.request("POST", "/submission", body, post_headers)
    check(r.status in (201, 202) and b"<OpenRosaResponse" in reply, f"retry: {r.status}")
    # The same instanceID with other answers: refused.
    other, ctype2 = multipart([("xml_submission_file", "x.xml", "text/xml",
                                instance(iid, staff="99"))])
    r, reply = sokha.request("POST", "/submission", other, dict(headers, **{"Content-Type": ctype2}))
    check(r.status == 409, f"other XML under a known instanceID: {r.status} {reply}")

    # Bad input changes nothing.
    r, _ = sokha.request("POST", "/submission", body[: len(body) // 2], post_headers)
    check(r.status == 400, f"a truncated body: {r.status}")
    for bad_xml, want in [
        (instance("uuid:" + str(uuid.uuid4()), form_id="ngo_profile", version="2026112501"), 403),
        (instance("uuid:" + str(uuid.uuid4()), form_id="nothing", version="1"), 404),
        (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
         b'<data id="collect_demo" version="3"><org_name>&b;</org_name></data>', 400),
    ]:
        b2, c2 = multipart([("xml_submission_file", "x.xml", "text/xml", bad_xml)])
        r, reply = sokha.request("POST", "/submission", b2, dict(headers, **{"Content-Type": c2}))
        check(r.status == want, f"bad submission: {r.status}, wanted {want}: {reply[:300]}")
    traversal = "uuid:" + str(uuid.uuid4())
    b3, c3 = multipart([("xml_submission_file", "x.xml", "text/xml",
                         instance(traversal, photo="../../etc/passwd")),
                        ("../../etc/passwd", "../../etc/passwd", "image/jpeg", b"x")])
    r, reply = sokha.request("POST", "/submission", b3, dict(headers, **{"Content-Type": c3}))
    check(r.status == 400, f"a path as an attachment name: {r.status} {reply[:300]}")

    # An edit of the submission (ODK Collect's edit of a sent form): audited.
    edit_iid = "uuid:" + str(uuid.uuid4())
    b4, c4 = multipart([("xml_submission_file", "x.xml", "text/xml",
                         instance(edit_iid, staff="14", deprecated=iid)),
                        ("1712.jpg", "1712.jpg", "image/jpeg", photo)])
    r, reply = sokha.request("POST", "/submission", b4, dict(headers, **{"Content-Type": c4}))
    check(r.status == 201, f"an edit: {r.status} {reply}")

    # The supervisor sees it; the other interviewer does not; the analyst without
    # the sensitive answer.
    lan = Client(server, "lan", "lan-secret-333")
    r, data = lan.request("GET", "/api/v1/forms/collect_demo/submissions")
    check(r.status == 200, f"supervisor's list: {r.status} {data}")
    listed = json.loads(data)
    check(listed["next"] is None and len(listed["submissions"]) == 1, f"list: {listed}")
    s = listed["submissions"][0]
    check(s["instance_id"] == iid and s["submitted_by"] == "sokha" and s["status"] == "complete",
          f"submission: {s}")
    check(s["answers"]["staff"] == {"value": "14", "state": "answered"}, f"edited answer: {s}")
    check(s["answers"]["victim_name"]["value"] == "S. K.", "supervisor sees sensitive answers")
    r, data = lan.request("GET", f"/api/v1/forms/collect_demo/submissions/{iid}/attachments/1712.jpg")
    check(r.status == 200 and data == photo, f"photo download: {r.status}")
    dara = Client(server, "dara", "dara-secret-22")
    r, data = dara.request("GET", "/api/v1/forms/collect_demo/submissions")
    check(r.status == 200 and json.loads(data)["submissions"] == [], f"dara sees {data}")
    r, _ = dara.request("GET", f"/api/v1/forms/collect_demo/submissions/{iid}/attachments/1712.jpg")
    check(r.status in (403, 404), f"dara downloads the photo: {r.status}")
    vy = Client(server, "vy", "vy-secret-4444")
    r, data = vy.request("GET", "/api/v1/forms/collect_demo/submissions")
    s = json.loads(data)["submissions"][0]
    check("victim_name" not in s["answers"] and "staff" in s["answers"], f"analyst sees {s}")
finally:
    status, _ = server.stop()
check(status == 0, f"serve exit {status}")

# What the store holds: one submission, the edit in its audit trail, the reads logged.
out = run("submissions", "list", "--db", db, "--format", "json").stdout
stored = json.loads(out)
check(len(stored) == 1 and stored[0]["instance_id"] == iid, f"stored: {len(stored)}")
audit = run("audit", "show", "--db", db, iid).stdout
check("staff: answered \"12\" -> answered \"14\"" in audit and "sokha" in audit, audit)
print("collect test: ok")
