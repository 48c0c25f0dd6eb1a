#!/usr/bin/python3
"""Writes SYNTHETIC exports of form/ (a household survey with a members roster and a
plots repeat, a stratified cluster sample with design weights) for the repeat tests.

Usage: tests/data/roster/generate.py OUT_DIR

Writes the same invented households in two layouts:
  OUT_DIR/odk/main.csv, members.csv, plots.csv   ODK Central: group paths, KEY and
      PARENT_KEY ("uuid:.../members[2]" keys)
  OUT_DIR/kobo/main.csv, members.csv, plots.csv  KoboToolbox: bare names in repeat
      files, _uuid/_index on households, _index/_parent_index on repeat rows
Deterministic (a fixed seed): the tests compare figures computed from these files.
"""
import csv
import os
import random
import sys
import uuid

VILLAGES = {"north": ["n1", "n2", "n3"], "south": ["s1", "s2", "s3", "s4"]}


def households(rng):
    out = []
    for province, villages in VILLAGES.items():
        for village in villages:
            for _ in range(8 + rng.randrange(5)):
                weight = (150 if province == "north" else 90) * (1 + 0.1 * rng.randrange(4))
                members = []
                for _ in range(1 + rng.randrange(6)):
                    age = rng.randrange(1, 80)
                    migrant = "yes" if rng.random() < (0.35 if province == "north" else 0.2) else "no"
                    if age < 15:
                        migrant = "no"
                    if rng.random() < 0.04:
                        migrant = "refused"
                    dest = ""
                    if migrant == "yes":
                        dest = rng.choice(["city", "city", "thailand", "malaysia"])
                    sex = rng.choice(["female", "male"]) if rng.random() > 0.03 else "dont_know"
                    members.append({"m_sex": sex, "m_age": str(age), "m_migrant": migrant,
                                    "m_dest": dest})
                plots = [{"plot_crop": rng.choice(["rice", "cassava"])}
                         for _ in range(rng.randrange(3))]
                out.append({"id": "uuid:" + str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            "province": province, "village": village,
                            "weight": "%g" % weight, "hh_size": str(len(members)),
                            "members": members, "plots": plots})
    return out


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    rng = random.Random(20261206)
    hhs = households(rng)
    main_cols = ["province", "village", "weight", "hh_size"]
    member_cols = ["m_sex", "m_age", "m_migrant", "m_dest"]
    odk, kobo = os.path.join(argv[1], "odk"), os.path.join(argv[1], "kobo")
    os.makedirs(odk, exist_ok=True)
    os.makedirs(kobo, exist_ok=True)
    write(os.path.join(odk, "main.csv"), main_cols + ["meta/instanceID", "KEY"],
          [[h[c] for c in main_cols] + [h["id"], h["id"]] for h in hhs])
    for name, cols in (("members", member_cols), ("plots", ["plot_crop"])):
        write(os.path.join(odk, name + ".csv"),
              [name + "/" + c for c in cols] + ["PARENT_KEY", "KEY"],
              [[r[c] for c in cols] + [h["id"], "%s/%s[%d]" % (h["id"], name, i + 1)]
               for h in hhs for i, r in enumerate(h[name])])
    write(os.path.join(kobo, "main.csv"), main_cols + ["_uuid", "_index"],
          [[h[c] for c in main_cols] + [h["id"][5:], str(k + 1)] for k, h in enumerate(hhs)])
    for name, cols in (("members", member_cols), ("plots", ["plot_crop"])):
        rows, index = [], 0
        for k, h in enumerate(hhs):
            for r in h[name]:
                index += 1
                rows.append([r[c] for c in cols] + [str(index), "roster_demo", str(k + 1),
                                                    h["id"][5:]])
        write(os.path.join(kobo, name + ".csv"),
              cols + ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
