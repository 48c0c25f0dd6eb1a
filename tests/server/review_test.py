"""The supervisor's endpoints (issue 16, docs/server.md "The supervisor's endpoints")
over real HTTP on loopback against `ngosurvey serve` on a SYNTHETIC form and
SYNTHETIC submissions: interviewers send submissions (OpenRosa, Digest); a
supervisor logged in from a browser session lists them in the submissions table
(filtered, sorted, keyset pages), opens one by its labels (Khmer and English, the
choice's label, a repeat's instances grouped) and sets its review status with its
CSRF token; the review is in the JSON API, the audit trail (audit show) and the
CSV export's _validation_status column as KoboToolbox writes it. Interviewers and
analysts cannot review (403 from the API), an interviewer's table holds only its
own submissions, another's submission is 404, an analyst never sees a sensitive
answer."""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from serverlib import Client, Server, add_user, check, multipart, run  # noqa: E402

tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "survey.db")
src = os.path.join(tmp, "src")
os.mkdir(src)
with open(os.path.join(src, "survey.csv"), "w") as f:
    f.write("type,name,label::English (en),label::Khmer (km),sensitive,required,"
            "required_message::English (en),constraint,constraint_message::English (en)\n"
            "text,org_name,Organisation,អង្គការ,,yes,Name the organisation,,\n"
            "select_one kind,kind,Kind of organisation,ប្រភេទអង្គការ,,,,,\n"
            "integer,staff,Staff,បុគ្គលិក,,,,. >= 0 and . < 10000,Staff is 0 to 9999\n"
            "begin_repeat,prog,Programme,កម្មវិធី,,,,,\n"
            "text,prog_name,Programme name,ឈ្មោះកម្មវិធី,,,,,\n"
            "end_repeat,,,,,,,,\n"
            "text,victim,Victim's name,ឈ្មោះជនរងគ្រោះ,yes,,,,\n")
with open(os.path.join(src, "choices.csv"), "w") as f:
    f.write("list_name,name,label::English (en),label::Khmer (km)\n"
            "kind,ngo,Non-governmental organisation,អង្គការមិនមែនរដ្ឋាភិបាល\n"
            "kind,cbo,Community-based organisation,អង្គការសហគមន៍\n")
with open(os.path.join(src, "settings.csv"), "w") as f:
    f.write("form_id,version,form_title,default_language\nreview_demo,1,Review demo,en\n")
subprocess.run(["/usr/bin/python3", "tools/xlsform-from-csv", src, tmp + "/review_demo.xlsx"],
               check=True)
run("form", "publish", "--db", db, tmp + "/review_demo.xlsx")
add_user(db, "sokha", "interviewer", "sokha-secret-1", forms="review_demo")
add_user(db, "dara", "interviewer", "dara-secret-22", forms="review_demo")
add_user(db, "lan", "supervisor", "lan-secret-333", forms="review_demo")
add_user(db, "vy", "analyst", "vy-secret-4444", forms="review_demo")


def instance(iid, org, kind, programmes, staff="12"):
    progs = "".join(f"<prog><prog_name>{p}</prog_name></prog>" for p in programmes)
    return (f'<?xml version="1.0"?><data xmlns:orx="http://openrosa.org/xforms" id="review_demo" '
            f'version="1"><org_name>{org}</org_name><kind>{kind}</kind><staff>{staff}</staff>'
            f"{progs}<victim>S. K.</victim><meta><instanceID>{iid}</instanceID></meta>"
            f"</data>").encode()


def submit(client, iid, org, kind, programmes, staff="12", want=201):
    payload, ctype = multipart([("xml_submission_file", "submission.xml", "text/xml",
                                 instance(iid, org, kind, programmes, staff))])
    r, body = client.request("POST", "/submission", body=payload,
                             headers={"Content-Type": ctype, "X-OpenRosa-Version": "1.0"})
    check(r.status == want, f"submission {iid}: {r.status}, wanted {want}: {body}")
    return body


server = Server(db)
try:
    sokha = Client(server, "sokha", "sokha-secret-1")
    dara = Client(server, "dara", "dara-secret-22")
    vy = Client(server, "vy", "vy-secret-4444")
    mine = "uuid:" + str(uuid.uuid4())
    theirs = "uuid:" + str(uuid.uuid4())
    submit(sokha, mine, "Hope Centre", "cbo", ["Literacy", "Clinics"])
    submit(dara, theirs, "Bright Future", "ngo", [])

    # Never trust the client: the server checks the answers again with the interview
    # engine against the form version the instance names (instances sent directly,
    # as a modified client could).
    bad = "uuid:" + str(uuid.uuid4())
    body = submit(sokha, bad, "Hope Centre", "cbo", [], staff="-3", want=400)
    check(b"staff" in body and b"Staff is 0 to 9999" in body, f"constraint: {body}")
    body = submit(sokha, bad, "Hope Centre", "cbo", [], staff="many", want=400)
    check(b"staff" in body, f"type: {body}")
    body = submit(sokha, bad, "Hope Centre", "other", [], want=400)
    check(b"kind" in body, f"not a choice: {body}")
    body = submit(sokha, bad, "", "cbo", [], want=400)
    check(b"org_name" in body and b"Name the organisation" in body, f"required: {body}")

    # The supervisor logs in from a browser.
    c = Client(server)
    r, body = c.raw("POST", "/api/v1/session",
                    body=json.dumps({"user": "lan", "password": "lan-secret-333"}).encode(),
                    headers={"Content-Type": "application/json"})
    check(r.status == 200, f"login: {r.status} {body}")
    token = re.match(r"ngosurvey_session=([0-9a-f]*);", r.getheader("Set-Cookie")).group(1)
    csrf = json.loads(body)["csrf_token"]
    jar = {"Cookie": "ngosurvey_session=" + token}

    def get(path, client=c, headers=jar):
        r, body = client.raw("GET", path, headers=headers)
        return r.status, (json.loads(body) if body.startswith(b"{") else body)

    status, table = get("/api/v1/submissions?form=review_demo")
    check(status == 200, f"table: {status} {table}")
    rows = table["submissions"]
    check(sorted(row["instance_id"] for row in rows) == sorted([mine, theirs]),
          f"rows (the refused submission is not stored): {rows}")
    check({row["submitted_by"] for row in rows} == {"sokha", "dara"}, f"senders: {rows}")
    check(all(row["review"] is None and row["status"] == "complete" for row in rows), f"{rows}")
    check(table["next"] is None, "one page")
    status, page = get("/api/v1/submissions?form=review_demo&sort=submitted_by&limit=1")
    check(status == 200 and [r["submitted_by"] for r in page["submissions"]] == ["dara"],
          f"first page by sender: {page}")
    check(page["next"] is not None, "a next page")
    status, page2 = get("/api/v1/submissions?form=review_demo&sort=submitted_by&limit=1&after=" +
                        page["next"])
    check([r["submitted_by"] for r in page2["submissions"]] == ["sokha"] and page2["next"] is None,
          f"second page: {page2}")
    status, desc = get("/api/v1/submissions?form=review_demo&sort=submitted_by&order=desc")
    check([r["submitted_by"] for r in desc["submissions"]] == ["sokha", "dara"], f"desc: {desc}")
    status, only = get("/api/v1/submissions?form=review_demo&submitted_by=dara")
    check([r["instance_id"] for r in only["submissions"]] == [theirs], f"filter: {only}")
    for bad in ["sort=answers", "order=up", "limit=0", "after=nonsense", "from=2026-13-01",
                "review=maybe", "status=sent"]:
        status, err = get("/api/v1/submissions?form=review_demo&" + bad)
        check(status == 400 and "error" in err, f"{bad}: {status} {err}")

    # One submission by its labels, in the form's languages.
    status, view = get(f"/api/v1/forms/review_demo/submissions/{mine}")
    check(status == 200, f"view: {status} {view}")
    check(view["may_review"] is True and view["form_title"] == "Review demo", f"{view}")
    items = {i["path"]: i for i in view["items"]}
    check(items["kind"]["label"] == "Kind of organisation" and
          items["kind"]["shown"] == "Community-based organisation", f"kind: {items.get('kind')}")
    check(items["prog[2]/prog_name"]["groups"][-1].startswith("Programme") and
          items["prog[2]/prog_name"]["value"] == "Clinics", f"repeat: {view['items']}")
    check(items["victim"]["value"] == "S. K.", "the supervisor reads sensitive answers")
    status, khmer = get(f"/api/v1/forms/review_demo/submissions/{mine}?lang=km")
    kitems = {i["path"]: i for i in khmer["items"]}
    check(kitems["kind"]["label"] == "ប្រភេទអង្គការ" and
          kitems["kind"]["shown"] == "អង្គការសហគមន៍", f"Khmer: {kitems.get('kind')}")
    status, err = get(f"/api/v1/forms/review_demo/submissions/{mine}?lang=fr")
    check(status == 400, f"unknown language: {status}")

    # The review: the session needs its CSRF token; Digest works for scripts.
    review = json.dumps({"status": "approved", "comment": "called back: 2 programmes"}).encode()
    path = f"/api/v1/forms/review_demo/submissions/{mine}/review"
    r, body = c.raw("PUT", path, body=review, headers=dict(jar, **{"Content-Type": "application/json"}))
    check(r.status == 403, f"review without CSRF: {r.status} {body}")
    r, body = c.raw("PUT", path, body=review,
                    headers=dict(jar, **{"Content-Type": "application/json", "X-CSRF-Token": csrf}))
    check(r.status == 200, f"review: {r.status} {body}")
    got = json.loads(body)["review"]
    check(got["status"] == "approved" and got["validation_status"] == "validation_status_approved"
          and got["by"] == "lan" and got["comment"] == "called back: 2 programmes", f"{got}")
    lan = Client(server, "lan", "lan-secret-333")
    r, body = lan.request("POST", f"/api/v1/forms/review_demo/submissions/{theirs}/review",
                          body=json.dumps({"status": "needs_checking"}).encode(),
                          headers={"Content-Type": "application/json"})
    check(r.status == 200 and json.loads(body)["review"]["status"] == "needs_checking",
          f"review with Digest: {r.status} {body}")
    for bad in [b"not json", b'{"status": "fine"}', b'{"comment": "no status"}',
                b'{"status": "approved", "comment": 7}']:
        r, body = lan.request("PUT", path, body=bad, headers={"Content-Type": "application/json"})
        check(r.status == 400, f"bad review {bad}: {r.status} {body}")
    r, body = lan.request("PUT", f"/api/v1/forms/review_demo/submissions/uuid:{uuid.uuid4()}/review",
                          body=review, headers={"Content-Type": "application/json"})
    check(r.status == 404, f"unknown submission: {r.status}")

    # Interviewers and analysts cannot review: 403 from the API itself.
    for who in (sokha, vy):
        r, body = who.request("PUT", path, body=json.dumps({"status": "rejected"}).encode(),
                              headers={"Content-Type": "application/json"})
        check(r.status == 403 and b"review" in body, f"{who.user} reviewed: {r.status} {body}")
    status, now = get(path)
    check(now["review"]["status"] == "approved", f"unchanged by the refused: {now}")

    # The review in the table, its filter and the JSON API.
    status, approved = get("/api/v1/submissions?form=review_demo&review=approved")
    check([r["instance_id"] for r in approved["submissions"]] == [mine], f"{approved}")
    status, listed = get("/api/v1/forms/review_demo/submissions")
    reviews = {s["instance_id"]: s["review"] for s in listed["submissions"]}
    check(reviews[mine]["status"] == "approved" and reviews[theirs]["status"] == "needs_checking",
          f"GET submissions: {reviews}")

    # An interviewer's table and views hold its own work only.
    r, body = sokha.request("GET", "/api/v1/submissions?form=review_demo&submitted_by=dara")
    own = json.loads(body)["submissions"]
    check(r.status == 200 and [s["instance_id"] for s in own] == [mine], f"interviewer: {own}")
    r, body = sokha.request("GET", f"/api/v1/forms/review_demo/submissions/{theirs}")
    check(r.status == 404, f"another's submission: {r.status}")
    r, body = sokha.request("GET", f"/api/v1/forms/review_demo/submissions/{mine}")
    check(r.status == 200 and json.loads(body)["may_review"] is False, f"own view: {r.status}")
    # An analyst reads the submission without the sensitive answer.
    r, body = vy.request("GET", f"/api/v1/forms/review_demo/submissions/{mine}")
    check(r.status == 200 and b"S. K." not in body, f"analyst view: {r.status} {body[:300]}")
finally:
    server.stop()

# The audit trail and the export carry the review.
shown = run("audit", "show", "--db", db, mine).stdout
check("_validation_status" in shown and "approved" in shown and "lan" in shown and
      "called back: 2 programmes" in shown, f"audit show: {shown}")
run("audit", "verify", "--db", db)
run("export", "--db", db, "--form", "review_demo", "--format", "csv", "-o", tmp + "/out.csv")
with open(tmp + "/out.csv", newline="") as f:
    exported = {row["KEY"]: row["_validation_status"] for row in csv.DictReader(f)}
check(exported == {mine: "validation_status_approved", theirs: "validation_status_on_hold"},
      f"export: {exported}")
print("ok")
