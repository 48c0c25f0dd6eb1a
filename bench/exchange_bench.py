#!/usr/bin/python3
"""Timed comparison of ngosurvey import/export with peers on the same data.

Usage: bench/exchange_bench.py NGOSURVEY ROWS REPEATS WORKDIR [CASE...]

CASE (default: all) picks cases by prefix of their key: import, dta, sav, pandas, haven_dta,
haven_sav. The data CSV is generated once per WORKDIR and ROWS (kept between runs).

Generates (deterministically) a 261-column form and CSV: 100 select_one (5 choices), 30
select_multiple x 5 options as 0/1 option columns (Kobo style), 10 decimals and a grouping
column, plus the instance id; ROWS rows. Then, REPEATS times each, timed with /usr/bin/time -v
(wall time and peak resident memory):

  ngosurvey import        CSV -> SQLite store (fresh store each run)
  ngosurvey export dta    store -> Stata 118
  ngosurvey export sav    store -> SPSS
  pandas to_stata         read_csv + DataFrame.to_stata (version 118)
  R haven write_dta       data.table::fread + haven::write_dta
  R haven write_sav       data.table::fread + haven::write_sav

and prints a Markdown table of medians. The peers write the same data from the CSV without
labels or checks, so they do less work than ngosurvey's import + export (which checks every
cell against the form, stores it durably, and writes labels and missing kinds).
"""
import csv
import os
import random
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


def make_form(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "survey.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["type", "name", "label"])
        w.writerow(["select_one region", "region", "Region"])
        for i in range(100):
            w.writerow(["select_one five", "s%03d" % i, "Single choice %d" % i])
        for i in range(30):
            w.writerow(["select_multiple opts", "m%02d" % i, "Multiple choice %d" % i])
        for i in range(10):
            w.writerow(["decimal", "d%02d" % i, "Decimal %d" % i])
    with open(os.path.join(folder, "choices.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["list_name", "name", "label"])
        for r in ("north", "south", "east", "west"):
            w.writerow(["region", r, r.title()])
        for c in range(1, 6):
            w.writerow(["five", str(c), "Option %d" % c])
        for c in "abcde":
            w.writerow(["opts", c, "Option " + c])
        w.writerow(["five", "refused", "Refused"])
    with open(os.path.join(folder, "settings.csv"), "w", newline="") as f:
        csv.writer(f).writerows([["form_id", "version"], ["bench261", "1"]])


def make_csv(path, rows):
    rng = random.Random(261)
    header = ["meta/instanceID", "region"] + ["s%03d" % i for i in range(100)]
    header += ["m%02d/%s" % (i, c) for i in range(30) for c in "abcde"]
    header += ["d%02d" % i for i in range(10)]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for n in range(rows):
            row = ["uuid:%08x-0000-4000-8000-%012x" % (n, n), rng.choice(("north", "south", "east", "west"))]
            row += [("refused" if rng.random() < 0.02 else str(rng.randint(1, 5))) for _ in range(100)]
            row += [("1" if rng.random() < 0.3 else "0") for _ in range(150)]
            row += ["%.2f" % rng.uniform(0, 1000) for _ in range(10)]
            w.writerow(row)
    return len(header)


def timed(cmd, before=None):
    if before:
        before()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s\n%s" % (" ".join(cmd), p.stdout[-2000:], p.stderr[-2000:]))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    user = float(re.search(r"User time \(seconds\): (\S+)", p.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): (\S+)", p.stderr).group(1))
    print("  %.2f s wall, %.2f s CPU, %.0f MB: %s" % (seconds, user + system, rss_kb / 1024,
                                                    " ".join(cmd)[:100]), file=sys.stderr, flush=True)
    return seconds, rss_kb / 1024, user + system


def main(argv):
    ngosurvey, rows, repeats, work = argv[1], int(argv[2]), int(argv[3]), argv[4]
    wanted = argv[5:]
    os.makedirs(work, exist_ok=True)
    make_form(os.path.join(work, "form"))
    form = os.path.join(work, "form.xlsx")
    subprocess.run([PY, os.path.join(ROOT, "tools", "xlsform-from-csv"), os.path.join(work, "form"), form],
                   check=True)
    data = os.path.join(work, "data-%d.csv" % rows)
    if not os.path.exists(data):
        make_csv(data + ".part", rows)
        os.rename(data + ".part", data)
    with open(data) as f:
        columns = len(f.readline().split(","))
    db = os.path.join(work, "bench.db")

    def fresh_db():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)

    r_dta = ("suppressMessages({library(haven); library(data.table)}); d <- fread('%s'); "
             "names(d) <- gsub('[/-]', '_', names(d)); write_dta(as.data.frame(d), '%s/peer.dta')"
             % (data, work))
    r_sav = r_dta.replace("write_dta", "write_sav").replace("peer.dta", "peer.sav")
    py_dta = ("import pandas as pd; d = pd.read_csv('%s'); "
              "d.columns = [c.replace('/', '_') for c in d.columns]; "
              "d.to_stata('%s/peer_pandas.dta', version=118, write_index=False)" % (data, work))
    cases = [
        ("import", "ngosurvey import (CSV -> SQLite, checked)",
         [ngosurvey, "import", "--db", db, "--form", form, data], fresh_db),
        ("dta", "ngosurvey export --format dta", [ngosurvey, "export", "--db", db, "--form", "bench261",
                                           "--format", "dta", "-o", os.path.join(work, "out.dta")], None),
        ("sav", "ngosurvey export --format sav", [ngosurvey, "export", "--db", db, "--form", "bench261",
                                           "--format", "sav", "-o", os.path.join(work, "out.sav")], None),
        ("pandas", "pandas read_csv + to_stata (118)", [PY, "-c", py_dta], None),
        ("haven_dta", "R fread + haven::write_dta", ["Rscript", "-e", r_dta], None),
        ("haven_sav", "R fread + haven::write_sav", ["Rscript", "-e", r_sav], None),
    ]
    results = []
    for key, name, cmd, before in cases:
        if wanted and not any(key.startswith(w) for w in wanted):
            continue
        runs = [timed(cmd, before) for _ in range(repeats)]
        results.append((name, statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                        statistics.median(r[2] for r in runs)))
    print("%d rows x %d columns (%.1f MB CSV), median of %d runs" %
          (rows, columns, os.path.getsize(data) / 1e6, repeats))
    print()
    print("| Case | Wall time (s) | CPU user+sys (s) | Rows/s (wall) | Peak RSS (MB) |")
    print("|---|---|---|---|---|")
    for name, seconds, rss, cpu in results:
        print("| %s | %.2f | %.2f | %.0f | %.0f |" % (name, seconds, cpu, rows / seconds if seconds else 0, rss))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
