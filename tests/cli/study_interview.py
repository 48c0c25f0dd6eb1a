#!/usr/bin/env python3
"""Interviews NGOs of the reference study in the terminal interviewer, answering
each question shown with that NGO's row of the SYNTHETIC data, then checks that the
store holds exactly those answers. Two things are tested at once: the instrument
runs in the interviewer in Khmer and Vietnamese, and the synthesiser's skip logic
agrees with the interview engine's (a question the engine asks must have a value in
the synthetic row, and a value must never sit on a question the engine skips).

usage: study_interview.py DB ORG:LANG [ORG:LANG ...]
"""
import csv
import json
import os
import re
import subprocess
import sys

from screen_reader import FormScreens

NGOSURVEY = os.environ["NGOSURVEY"]
FORM = "study/instrument.xlsx"
DATA = "study/synthetic/ngo_trafficking_roles_SYNTHETIC.csv"


def fail(message):
    sys.exit("FAIL: " + message)


def interview(db, row, lang):
    proc = subprocess.Popen([NGOSURVEY, "interview", "--form", FORM, "--db", db, "--lang", lang,
                             "--org", row["org_id"], "--interviewer", "test"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader = FormScreens(NGOSURVEY, FORM, lang)
    buf, lines, question, asked, instance, after_header = b"", [], None, [], None, False
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            text = line.decode("utf-8")
            lines.append(text)
            instance = reader.instance_line(text) or instance
            # The screen shows the question's label (in `lang`), not its name.
            if after_header and text and not text.startswith("("):
                question = reader.question_line(text)
                if question is None:
                    fail(f"{row['org_id']}: no question of the form has the label {text!r}")
                after_header = False
            if re.match(r"^\[\d+/\d+\]", text):
                after_header = True
            if text.lstrip().startswith("! "):
                fail(f"{row['org_id']}: the interviewer refused {question}: {text.strip()}")
        if buf == b"> ":
            buf = b""
            last = lines[-1] if lines else ""
            if "[end]" in lines[-2:]:
                reply = "y"
            elif question and question[1] in ("note", "acknowledge"):
                reply = ""
            else:
                name = question[0]
                value = row.get(name, "")
                if value == "refused":
                    reply = ":refuse"
                elif value == "dont_know":
                    reply = ":dk"
                elif value == "":
                    fail(f"{row['org_id']}: the interviewer asks {name}, which the synthetic row leaves empty")
                else:
                    reply = value
                asked.append(name)
            proc.stdin.write((reply + "\n").encode())
            proc.stdin.flush()
    proc.wait()
    if proc.returncode != 0:
        fail(f"{row['org_id']}: interview exited {proc.returncode}: {proc.stderr.read().decode()}")
    if not any(reader.complete_line(l) for l in lines):
        fail(f"{row['org_id']}: the interview did not complete:\n" + "\n".join(lines[-20:]))
    return instance, asked


def main():
    db, targets = sys.argv[1], sys.argv[2:]
    rows = {r["org_id"]: r for r in csv.DictReader(open(DATA, encoding="utf-8"))}
    for target in targets:
        org, lang = target.split(":")
        row = rows[org]
        instance, asked = interview(db, row, lang)
        out = subprocess.run([NGOSURVEY, "submissions", "list", "--db", db, "--format", "json"],
                             capture_output=True, check=True, text=True).stdout
        subs = {s["instance_id"]: s for s in json.loads(out)}
        stored = subs[instance]["answers"]
        by_name = {path.split("/")[-1]: a for path, a in stored.items()}
        for name in asked:
            want = row[name]
            got = by_name.get(name)
            if got is None:
                fail(f"{org}: {name} not stored")
            if want in ("refused", "dont_know"):
                if got["state"] != want:
                    fail(f"{org}: {name} stored as {got}, wanted state {want}")
            elif got["state"] != "answered" or got["value"] != want:
                fail(f"{org}: {name} stored as {got}, wanted {want!r}")
        # No synthetic value sits on a question the engine did not ask.
        skipped = [n for n, v in row.items()
                   if v and n in by_name and by_name[n]["state"] == "not_asked"]
        if skipped:
            fail(f"{org}: the synthetic row answers questions the interview skipped: {skipped}")
        print(f"{org} ({lang}): {len(asked)} questions asked and stored as in the synthetic row")


main()
