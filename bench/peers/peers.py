#!/usr/bin/python3
"""Helpers of bench/peers/run.sh.

  peers.py canon TABULATE.csv CANON.csv
      the canonical counts (item,option,group,count,base,mean) of the long CSV that
      `ngosurvey tabulate --format csv` writes: count and n (the base) of every option
      cell, n and mean of every decimal.
  peers.py check REFERENCE.csv NAME OTHER.csv
      compares a peer's canonical counts with ngosurvey's: every count and base equal
      (a cell a peer leaves out counts as 0), every mean within 1e-9 relative; prints
      the first differences and exits 1 when there is any.
  peers.py summary OUT_DIR
      medians of the runs recorded in OUT_DIR (times printed by each tool, wall time
      and peak RSS from /usr/bin/time -v) as a Markdown table.
"""
import csv
import glob
import os
import re
import statistics
import sys


def canon(tabulate_csv, out_path):
    cells = {}
    with open(tabulate_csv, newline="") as handle:
        for row in csv.DictReader(handle):
            item, option, group, stat, value = (row["item"], row["option"], row["group"],
                                                row["statistic"], row["value"])
            if option and stat in ("count", "n"):
                cells.setdefault((item, option, group), {})[stat] = value
            elif not option and stat in ("n", "mean"):
                cells.setdefault((item, "mean", group), {})[stat] = value
    with open(out_path, "w") as out:
        out.write("item,option,group,count,base,mean\n")
        for (item, option, group), v in cells.items():
            if option == "mean":
                out.write(f"{item},mean,{group},{v['n']},,{v['mean']}\n")
            else:
                out.write(f"{item},{option},{group},{v['count']},{v['n']},\n")


def read_canon(path):
    with open(path, newline="") as handle:
        return {(r["item"], r["option"], r["group"]): r for r in csv.DictReader(handle)}


def check(reference, name, other):
    ref, got = read_canon(reference), read_canon(other)
    problems = []
    for key, r in ref.items():
        g = got.get(key)
        if g is None:
            if r["option"] != "mean" and int(r["count"]) == 0:
                continue
            problems.append(f"{key}: missing in {name}")
            continue
        if int(g["count"]) != int(r["count"]):
            problems.append(f"{key}: count {g['count']} in {name}, {r['count']} in ngosurvey")
        if r["option"] == "mean":
            a, b = float(g["mean"]), float(r["mean"])
            if abs(a - b) > 1e-9 * max(1.0, abs(b)):
                problems.append(f"{key}: mean {a!r} in {name}, {b!r} in ngosurvey")
        elif int(g["base"]) != int(r["base"]):
            problems.append(f"{key}: base {g['base']} in {name}, {r['base']} in ngosurvey")
    problems += [f"{key}: in {name} only" for key in got.keys() - ref.keys()]
    if len(ref) < 100:
        problems.append(f"ngosurvey's reference has only {len(ref)} cells")
    if problems:
        sys.stderr.write(f"MISMATCH: {name} differs from ngosurvey in {len(problems)} cells:\n")
        for p in problems[:20]:
            sys.stderr.write("  " + p + "\n")
        return 1
    print(f"{name}: {len(ref)} cells equal to ngosurvey's (counts, bases, means)")
    return 0


def wall_seconds(text):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    h, mnt, s = m.groups()
    return int(h or 0) * 3600 + int(mnt) * 60 + float(s)


def summary(out_dir):
    tools = ["ngosurvey-tabulate", "ngosurvey-compute", "ngosurvey-cachewrite", "ngosurvey-cached",
             "duckdb", "pandas", "datatable"]
    figures = {}
    for tool in tools:
        runs = sorted(glob.glob(os.path.join(out_dir, "runs", f"{tool}.*.out")))
        for skipped in sorted(glob.glob(os.path.join(out_dir, "runs", f"{tool}.*.skipped"))):
            with open(skipped) as handle:
                print(f"{tool}: {handle.read().strip()}")
        for out in runs:
            if os.path.exists(out[:-4] + ".failed"):
                print(f"{tool}: run {out} did not finish; left out of the medians")
                continue
            values = {}
            with open(out) as handle:
                for line in handle:
                    parts = line.split()
                    if len(parts) == 2:
                        try:
                            values[parts[0]] = float(parts[1])
                        except ValueError:
                            pass
            with open(out[:-4] + ".time") as handle:
                text = handle.read()
            values["wall_s"] = wall_seconds(text)
            values["peak_mb"] = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
            for k, v in values.items():
                figures.setdefault(tool, {}).setdefault(k, []).append(v)
    med = {t: {k: statistics.median(v) for k, v in f.items()} for t, f in figures.items()}
    n = {t: len(f["wall_s"]) for t, f in figures.items()}
    print()
    c = med.get("ngosurvey-compute", {})
    print(f"rows: {int(c.get('rows', 0)):,}; narrow dataset: {c.get('dataset_bytes', 0) / 1e6:.0f} MB; "
          f"runs per tool: {n}")
    print()
    print("| Tool | Load (s) | Compute (s) | Whole process (s) | Peak RSS (MB) |")
    print("|---|---|---|---|---|")
    def row(name, load, compute, wall, peak):
        cell = lambda v: "-" if v is None else f"{v:.3f}" if v < 10 else f"{v:.1f}"
        print(f"| {name} | {cell(load)} | {cell(compute)} | {cell(wall)} | {peak:.0f} |")
    if "ngosurvey-tabulate" in med:
        t = med["ngosurvey-tabulate"]
        row("ngosurvey tabulate (end to end, all statistics, CSV out)", None, None, t["wall_s"], t["peak_mb"])
    if c:
        row("ngosurvey: streaming CSV load (2 threads) / CountByGroup", c["load_s"],
            c["count_by_group_s"], c["wall_s"], c["peak_mb"])
        row("one memory pass over the dataset's bytes (2 threads)", None, c["memory_pass_s"], None, 0)
    for tool, label in [("ngosurvey-cachewrite", "ngosurvey: first cached run (load + write the cache) / one CountByGroup"),
                        ("ngosurvey-cached", "ngosurvey: from the cache (mapped) / one CountByGroup")]:
        if tool in med:
            t = med[tool]
            row(label, t["load_s"], t["count_by_group_s"], t["wall_s"], t["peak_mb"])
    for tool, label in [("duckdb", "DuckDB (@duckdb/node-api)"), ("pandas", "pandas"),
                        ("datatable", "R data.table")]:
        if tool in med:
            t = med[tool]
            row(label, t["load_s"], t["compute_s"], t["wall_s"], t["peak_mb"])
    if c:
        print()
        load = c["load_s"]
        print(f"compute / memory pass: {c['count_by_group_s'] / c['memory_pass_s']:.1f}x")
        for tool in ("duckdb", "pandas", "datatable"):
            if tool in med:
                t = med[tool]
                print(f"{tool}: compute {t['compute_s'] / c['count_by_group_s']:.1f}x ngosurvey's, "
                      f"load {t['load_s'] / load:.2f}x ngosurvey's, peak RSS {t['peak_mb'] / c['peak_mb']:.2f}x")
        if "ngosurvey-tabulate" in med:
            print(f"ngosurvey peak RSS (tabulate) / narrow dataset: "
                  f"{med['ngosurvey-tabulate']['peak_mb'] * 1048576 / c['dataset_bytes']:.2f}x")
        print(f"ngosurvey peak RSS (CSV load + compute) / narrow dataset: "
              f"{c['peak_mb'] * 1048576 / c['dataset_bytes']:.2f}x")
        if "ngosurvey-cached" in med:
            print(f"ngosurvey peak RSS (from the cache) / narrow dataset: "
                  f"{med['ngosurvey-cached']['peak_mb'] * 1048576 / c['dataset_bytes']:.2f}x")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "canon" and len(sys.argv) == 4:
        canon(sys.argv[2], sys.argv[3])
    elif cmd == "check" and len(sys.argv) == 5:
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif cmd == "summary" and len(sys.argv) == 3:
        summary(sys.argv[2])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
