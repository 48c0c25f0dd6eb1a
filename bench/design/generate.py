#!/usr/bin/python3
"""Generates a SYNTHETIC weighted survey for the design benchmark (bench/design/run.sh).

Usage: generate.py ROWS OUT_DIR [SEED]

Writes OUT_DIR/form/survey.csv and choices.csv (an XLSForm's sheets; tools/xlsform-from-csv
makes the .xlsx) and OUT_DIR/data.csv: ROWS respondents in 200 strata and 5,000 clusters
(25 per stratum, nested), a sampling weight that varies by stratum and respondent, a region
(3 groups), 10 select_one items of 3 to 5 options whose shares vary by stratum and cluster,
and 2 numeric items. Every value is made up; nothing here describes real people.
"""
import csv
import os
import random
import sys

ITEMS = 10
STRATA = 200
CLUSTERS_PER_STRATUM = 25


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    os.makedirs(os.path.join(out, "form"), exist_ok=True)
    options = [3 + i % 3 for i in range(ITEMS)]
    with open(os.path.join(out, "form", "survey.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["type", "name", "label"])
        w.writerow(["select_one region", "region", "Region"])
        w.writerow(["integer", "stratum", "Stratum"])
        w.writerow(["integer", "cluster", "Cluster"])
        w.writerow(["decimal", "w", "Sampling weight"])
        for i in range(ITEMS):
            w.writerow([f"select_one opts{options[i]}", f"q{i}", f"Question {i}"])
        w.writerow(["decimal", "income", "Income"])
        w.writerow(["integer", "members", "Household members"])
    with open(os.path.join(out, "form", "choices.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["list_name", "name", "label"])
        for r in ("north", "centre", "south"):
            w.writerow(["region", r, r.title()])
        for k in (3, 4, 5):
            for o in range(k):
                w.writerow([f"opts{k}", f"o{o}", f"Option {o}"])
    # Per-stratum and per-cluster effects make the design effect visible.
    stratum_shift = [rng.random() for _ in range(STRATA)]
    cluster_shift = [rng.random() for _ in range(STRATA * CLUSTERS_PER_STRATUM)]
    with open(os.path.join(out, "data.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "stratum", "cluster", "w"] + [f"q{i}" for i in range(ITEMS)]
                   + ["income", "members", "meta/instanceID"])
        for row in range(rows):
            h = row * STRATA // rows
            c = h * CLUSTERS_PER_STRATUM + rng.randrange(CLUSTERS_PER_STRATUM)
            region = ("north", "centre", "south")[h % 3 if rng.random() < 0.8 else rng.randrange(3)]
            weight = round(50 + 100 * stratum_shift[h] + 20 * rng.random(), 2)
            answers = []
            for i in range(ITEMS):
                u = (rng.random() + 0.5 * stratum_shift[h] + 0.3 * cluster_shift[c]) / 1.8
                answers.append(f"o{min(options[i] - 1, int(u * options[i]))}")
            income = round(1000 * (1 + stratum_shift[h] + cluster_shift[c]) * rng.random(), 1)
            w.writerow([region, h + 1, c + 1, weight] + answers
                       + [income, 1 + rng.randrange(8), f"uuid:{row:08d}-0000-4000-8000-000000000000"])


if __name__ == "__main__":
    main()
