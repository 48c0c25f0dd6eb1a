#!/usr/bin/python3
"""ODK submissions imported end to end (issue 20): `ngosurvey import` of an ODK Collect
`instances/` folder of typical 100-question submissions into a fresh SQLite store.

Usage: bench/odk_folder_bench.py NGOSURVEY ROUNDS WORKDIR [COUNT] [NGOSURVEY2 ...]

Writes (deterministically, SYNTHETIC) the form of bench/odk_instance_bench.cpp as an
XLSForm (start, end, 30 text, 20 integer, 10 decimal, 10 select_one, 5 select_multiple, 5
date and 5 dateTime questions, a group of 10 texts, a repeat of 5 questions), with
relevance on the decimals (an earlier integer over 100) and on each question of the repeat
after its first (the one before it answered), and COUNT
submissions of it (default 5,000) as ODK Collect writes them: `instances/NAME/NAME.xml`,
about 3 KB each, 3 repeat instances, 112 answers, each with its own instanceID. Then ROUNDS
times each binary (a fresh store each run; `flock /work/bench.lock` is taken around the
timed runs): the wall time and peak memory of the import (/usr/bin/time -v), printed as
medians with the submissions a second. The import reads each file, reads it against the
form (form/odk_instance.h), checks relevance and constraints, and stores every submission
with its audit entry in one transaction (all or nothing).
"""
import os
import statistics
import subprocess
import sys

from timed_command import timed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def make_form(folder):
    os.makedirs(folder, exist_ok=True)
    survey = [("type", "name", "label", "relevant"), ("start", "start", "", ""),
              ("end", "end", "", "")]
    body = []
    n = 0

    def add(qtype, value_of, relevant=""):
        nonlocal n
        n += 1
        name = "q%d" % n
        survey.append((qtype, name, "Question " + name, relevant))
        body.append((name, value_of))

    for i in range(30):
        add("text", lambda s, i=i: "An answer of a few words, %d" % ((i + s) % 97))
    for i in range(20):
        add("integer", lambda s, i=i: str((17 * i + s) % 500))
    for i in range(10):  # relevant when the first integer is over 100 (most submissions)
        add("decimal", lambda s, i=i: "%d.25" % ((i + s) % 50) if s % 500 > 100 else "",
            "${q31} > 100")
    for i in range(10):
        add("select_one opts", lambda s, i=i: "o%d" % (1 + (i + s) % 6))
    for i in range(5):
        add("select_multiple opts", lambda s, i=i: "o1 o3 o5" if (i + s) % 2 else "o2")
    for i in range(5):
        add("date", lambda s, i=i: "2001-05-1%d" % ((i + s) % 10))
    for i in range(5):
        add("dateTime", lambda s, i=i: "2026-12-05T10:0%d:00.000+07:00" % ((i + s) % 10))
    survey.append(("begin_group", "office", "Office", ""))
    group = []
    for i in range(10):
        n += 1
        name = "q%d" % n
        survey.append(("text", name, "Question " + name, ""))
        group.append(name)
    survey.append(("end_group", "", "", ""))
    survey.append(("begin_repeat", "programs", "Programmes", ""))
    repeat = []
    for i in range(5):
        n += 1
        name = "q%d" % n
        survey.append(("integer" if i % 2 else "text", name, "Question " + name,
                       "${q%d} != ''" % (n - 1) if i > 0 else ""))
        repeat.append(name)
    survey.append(("end_repeat", "", "", ""))
    write_csv(os.path.join(folder, "survey.csv"), survey)
    write_csv(os.path.join(folder, "choices.csv"),
              [("list_name", "name", "label")] +
              [("opts", "o%d" % c, "Option %d" % c) for c in range(1, 7)])
    write_csv(os.path.join(folder, "settings.csv"), [("form_id", "version"), ("typical", "1")])
    return body, group, repeat


def write_csv(path, rows):
    import csv
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def submission(seq, body, group, repeat):
    parts = ["<?xml version='1.0' ?><data id=\"typical\" version=\"1\" "
             "xmlns:jr=\"http://openrosa.org/javarosa\" "
             "xmlns:orx=\"http://openrosa.org/xforms\">",
             "<start>2026-12-05T09:00:00.000+07:00</start>",
             "<end>2026-12-05T09:40:12.345+07:00</end>"]
    for name, value_of in body:
        parts.append("<%s>%s</%s>" % (name, value_of(seq), name))
    parts.append("<office>")
    for i, name in enumerate(group):
        parts.append("<%s>In the group %d</%s>" % (name, (i + seq) % 10, name))
    parts.append("</office>")
    for r in range(3):
        parts.append("<programs>")
        for i, name in enumerate(repeat):
            value = str(r + i) if i % 2 else "Programme %d" % r
            parts.append("<%s>%s</%s>" % (name, value, name))
        parts.append("</programs>")
    parts.append("<meta><instanceID>uuid:6f1b5b4e-2a49-4c4e-9a43-%012x</instanceID>"
                 "<instanceName>Typical %d</instanceName></meta></data>" % (seq, seq))
    return "".join(parts)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binaries = [sys.argv[1]] + sys.argv[5:]
    rounds, work = int(sys.argv[2]), sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
    os.makedirs(work, exist_ok=True)
    body, group, repeat = make_form(os.path.join(work, "form"))
    xlsx = os.path.join(work, "typical.xlsx")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "xlsform-from-csv"),
                    os.path.join(work, "form"), xlsx], check=True, capture_output=True)
    instances = os.path.join(work, "instances-%d" % count)
    if not os.path.isdir(instances):
        os.makedirs(instances + ".tmp", exist_ok=True)
        for seq in range(count):
            name = "typical_%06d" % seq
            os.makedirs(os.path.join(instances + ".tmp", name), exist_ok=True)
            with open(os.path.join(instances + ".tmp", name, name + ".xml"), "w") as f:
                f.write(submission(seq, body, group, repeat))
        os.rename(instances + ".tmp", instances)
    print("%d submissions (SYNTHETIC), ODK Collect's layout, in %s" % (count, instances))
    if rounds == 0:
        return
    results = {b: [] for b in binaries}
    import fcntl
    with open("/work/bench.lock" if os.path.isdir("/work") else os.path.join(work, "lock"),
              "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for _ in range(rounds):
            for binary in binaries:
                db = os.path.join(work, "bench.db")
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(db + suffix):
                        os.remove(db + suffix)
                results[binary].append(
                    timed([binary, "import", "--db", db, "--form", xlsx, instances]))
    print("| binary | wall median (s) | CPU median (s) | submissions/s (wall) | peak MiB |")
    print("|---|---:|---:|---:|---:|")
    for binary in binaries:
        wall = statistics.median(r[0] for r in results[binary])
        cpu = statistics.median(r[1] for r in results[binary])
        rss = statistics.median(r[2] for r in results[binary])
        print("| %s | %.2f | %.2f | %.0f | %.0f |" % (binary, wall, cpu, count / wall, rss))


if __name__ == "__main__":
    main()
