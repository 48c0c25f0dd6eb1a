#!/usr/bin/python3
"""The wide-tool import goal (issue 14): a Kobo export of an 800-column tool, 5,000 rows,
imports in under 5 s and 300 MiB.

Usage: bench/kobo_wide_bench.py NGOSURVEY ROUNDS WORKDIR [ROWS] [NGOSURVEY2 ...]

Generates (deterministically, SYNTHETIC) an XLSForm of 20 groups and a KoboToolbox CSV
export of it in Kobo's layout ("XML values and headers", groups in headers with "/"):
per group 10 select_one (one with or_other, its "grp/q_other" column beside it), 2
select_multiple with or_other (the space-separated column, 6 option columns including
"/other", and "grp/q_other"), 4 integers, 2 decimals, 2 texts and a geopoint with Kobo's 4
"_NAME_latitude"... columns (40 columns a group); then Kobo's 10 metadata columns (_id,
_uuid, _submission_time, _validation_status, _notes, _status, _submitted_by, __version__,
_tags, _index). 810 columns in all; the selects after the first are relevant on an earlier
answer of their group. After the groups, a repeat "members" (a text, an integer, a
select_one and a select_multiple) of 0 to 4 instances a submission (2 on average), exported
as Kobo exports a repeat sheet: "members/..." columns, then _index, _parent_table_name,
_parent_index and the _submission__* columns; imported with --repeat members=FILE.
Then ROUNDS times each binary (a fresh store each run; `flock /work/bench.lock` is taken
around the timed runs), /usr/bin/time -v's wall time and peak resident memory, and prints
the medians as a Markdown table. ROUNDS 0 writes the files only.
"""
import csv
import os
import random
import statistics
import subprocess
import sys

from timed_command import timed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GROUPS = 20
SINGLE, INTEGER, DECIMAL, TEXT = 10, 4, 2, 2


def make_form(folder):
    os.makedirs(folder, exist_ok=True)
    survey = [["type", "name", "label", "relevant"]]
    for g in range(GROUPS):
        grp = "g%02d" % g
        survey.append(["begin_group", grp, "Group %d" % g, ""])
        for i in range(SINGLE):
            other = " or_other" if i == 0 else ""
            rel = "${%s_s00} != '5'" % grp if i > 0 else ""
            survey.append(["select_one five" + other, "%s_s%02d" % (grp, i), "Single %d" % i, rel])
        for i in range(2):
            survey.append(["select_multiple opts or_other", "%s_m%d" % (grp, i), "Multiple %d" % i,
                           "${%s_s01} != '1'" % grp])
        for i in range(INTEGER):
            survey.append(["integer", "%s_n%d" % (grp, i), "Integer %d" % i, ""])
        for i in range(DECIMAL):
            survey.append(["decimal", "%s_d%d" % (grp, i), "Decimal %d" % i, ""])
        for i in range(TEXT):
            survey.append(["text", "%s_t%d" % (grp, i), "Text %d" % i, ""])
        survey.append(["geopoint", "%s_loc" % grp, "Location", ""])
        survey.append(["end_group", "", "", ""])
    survey.append(["begin_repeat", "members", "Household members", ""])
    survey.append(["text", "m_name", "Name", ""])
    survey.append(["integer", "m_age", "Age", ""])
    survey.append(["select_one five", "m_relation", "Relation", ""])
    survey.append(["select_multiple opts", "m_work", "Work", "${m_age} >= 10"])
    survey.append(["end_repeat", "", "", ""])
    choices = [["list_name", "name", "label"]]
    choices += [["five", str(c), "Option %d" % c] for c in range(1, 6)]
    choices += [["opts", c, "Option " + c] for c in "abcde"]
    for name, rows in (("survey", survey), ("choices", choices),
                       ("settings", [["form_id", "version"], ["kobo_wide", "1"]])):
        with open(os.path.join(folder, name + ".csv"), "w", newline="") as f:
            csv.writer(f).writerows(rows)


def make_csv(path, rows):
    rng = random.Random(800)
    header = []
    for g in range(GROUPS):
        grp = "g%02d" % g
        for i in range(SINGLE):
            header.append("%s/%s_s%02d" % (grp, grp, i))
            if i == 0:
                header.append("%s/%s_s00_other" % (grp, grp))
        for i in range(2):
            q = "%s/%s_m%d" % (grp, grp, i)
            header += [q] + [q + "/" + c for c in "abcde"] + [q + "/other", q + "_other"]
        header += ["%s/%s_n%d" % (grp, grp, i) for i in range(INTEGER)]
        header += ["%s/%s_d%d" % (grp, grp, i) for i in range(DECIMAL)]
        header += ["%s/%s_t%d" % (grp, grp, i) for i in range(TEXT)]
        header += ["%s/%s_loc" % (grp, grp)]
        header += ["%s/_%s_loc_%s" % (grp, grp, p) for p in ("latitude", "longitude", "altitude", "precision")]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
               "_submitted_by", "__version__", "_tags", "_index"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for n in range(rows):
            row = []
            for g in range(GROUPS):
                first = str(rng.randint(1, 5))
                second = str(rng.randint(1, 5))
                for i in range(SINGLE):
                    if i == 0:
                        value = "other" if rng.random() < 0.1 else first
                        row += [value, "specified %d" % n if value == "other" else ""]
                    elif i == 1:
                        row.append(second if first != "5" else "")
                    else:
                        row.append(str(rng.randint(1, 5)) if first != "5" else "")
                for i in range(2):
                    if second == "1":
                        row += [""] * 8
                        continue
                    chosen = [c for c in "abcde" if rng.random() < 0.3]
                    other = rng.random() < 0.1
                    names = chosen + (["other"] if other else [])
                    row += [" ".join(names)] + ["1" if c in chosen else "0" for c in "abcde"]
                    row += ["1" if other else "0", "another %d" % n if other else ""]
                row += [str(rng.randint(0, 99)) for _ in range(INTEGER)]
                row += ["%.2f" % rng.uniform(0, 1000) for _ in range(DECIMAL)]
                row += ["text %d %d" % (n, rng.randint(0, 9999)) for _ in range(TEXT)]
                lat, lon = "%.5f" % rng.uniform(10, 14), "%.5f" % rng.uniform(102, 107)
                row += ["%s %s 12 5" % (lat, lon), lat, lon, "12", "5"]
            uuid = "%08x-0000-4000-8000-%012x" % (n, n)
            row += [str(100000 + n), uuid, "2024-03-01T10:00:00", "", "[]", "submitted_via_web",
                    "enumerator%d" % (n % 20), "vAbC", "[]", str(n + 1)]
            w.writerow(row)
    return len(header)


REPEAT_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id",
               "_submission__uuid", "_submission__submission_time",
               "_submission__validation_status", "_submission__notes", "_submission__status",
               "_submission__submitted_by", "_submission___version__", "_submission__tags"]


def make_repeat_csv(path, rows):
    """Kobo's sheet of the repeat "members" (its instances' parents are the main rows)."""
    rng = random.Random(801)
    header = ["members/m_name", "members/m_age", "members/m_relation", "members/m_work"]
    header += ["members/m_work/" + c for c in "abcde"] + REPEAT_META
    index = 0
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for n in range(rows):
            uuid = "%08x-0000-4000-8000-%012x" % (n, n)
            for m in range(rng.randint(0, 4)):
                index += 1
                age = rng.randint(0, 90)
                chosen = [c for c in "abcde" if rng.random() < 0.3] if age >= 10 else []
                work = [" ".join(chosen)] + ["1" if c in chosen else "0" for c in "abcde"]
                if age < 10:
                    work = [""] * 6
                w.writerow(["member %d %d" % (n, m), str(age), str(rng.randint(1, 5))] + work +
                           [str(index), "kobo_wide", str(n + 1), str(100000 + n), uuid,
                            "2024-03-01T10:00:00", "", "[]", "submitted_via_web",
                            "enumerator%d" % (n % 20), "vAbC", "[]"])
    return index


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binaries = [sys.argv[1]] + sys.argv[5:]
    rounds, work = int(sys.argv[2]), sys.argv[3]
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
    os.makedirs(work, exist_ok=True)
    make_form(os.path.join(work, "form"))
    for stale in ("kobo-%d.csv" % rows, "kobo-%d-members.csv" % rows):
        # Files of an earlier version of this script (before the repeat) are made again.
        if os.path.exists(os.path.join(work, stale)) and not os.path.exists(
                os.path.join(work, ".with-repeat")):
            os.remove(os.path.join(work, stale))
    open(os.path.join(work, ".with-repeat"), "w").close()
    xlsx = os.path.join(work, "kobo_wide.xlsx")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "xlsform-from-csv"),
                    os.path.join(work, "form"), xlsx], check=True, capture_output=True)
    data = os.path.join(work, "kobo-%d.csv" % rows)
    if not os.path.exists(data):
        columns = make_csv(data + ".tmp", rows)
        os.rename(data + ".tmp", data)
    with open(data) as f:
        columns = len(next(csv.reader(f)))
    members = os.path.join(work, "kobo-%d-members.csv" % rows)
    if not os.path.exists(members):
        make_repeat_csv(members + ".tmp", rows)
        os.rename(members + ".tmp", members)
    with open(members) as f:
        instances = sum(1 for _ in f) - 1
    print("%d rows x %d columns, %.1f MB, and %d repeat instances x %d columns, %.1f MB "
          "(SYNTHETIC)" % (rows, columns, os.path.getsize(data) / 1e6, instances,
                           9 + len(REPEAT_META), os.path.getsize(members) / 1e6))
    if rounds == 0:  # only the files (for other measurements of the same export)
        return
    print("| binary | wall s (median of %d) | peak RSS MiB (median) |" % rounds)
    print("|---|---|---|")
    for binary in binaries:
        walls, rsss = [], []
        for _ in range(rounds):
            db = os.path.join(work, "store.db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            wall, _, rss = timed([binary, "import", "--db", db, "--form", xlsx, data,
                                  "--repeat", "members=" + members])
            walls.append(wall)
            rsss.append(rss)
        print("| %s | %.2f | %.0f |" % (binary, statistics.median(walls), statistics.median(rsss)))


if __name__ == "__main__":
    main()
