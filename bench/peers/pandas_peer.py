#!/usr/bin/python3
"""pandas peer of bench/peers/run.sh: pandas_peer.py DATA.csv CANON.csv

Load: read_csv (C engine) with every column's dtype given (grp category, select_one
float32 because missing is NaN, select_multiple str, decimals float64), then the
select_one columns as uint8 codes (0 missing, 99 refused) and each select_multiple
as a uint8 bit mask per respondent (255 missing), built from its few distinct
strings with pd.factorize (what ngosurvey's load does).
Compute: per item, one np.bincount of (group, code) over the rows, the base
(answered) and percent of every option, count and mean of every decimal per group
(groupby). Prints "load_s X" and "compute_s Y"; writes the canonical counts
(item,option,group,count,base,mean) outside the timed sections.
"""
import sys
import time

import numpy as np
import pandas as pd

S = [f"s{i}" for i in range(100)]
M = [f"m{i}" for i in range(30)]
X = [f"x{i}" for i in range(10)]
OPTS = ["a", "b", "c", "d", "e"]


def main(data, canon):
    t0 = time.perf_counter()
    dtypes = {"grp": "category", **{s: "float32" for s in S}, **{m: "str" for m in M},
              **{x: "float64" for x in X}}
    df = pd.read_csv(data, dtype=dtypes, na_filter=True)
    codes = {s: df[s].fillna(0).to_numpy().astype(np.uint8) for s in S}
    masks = {}
    for m in M:
        k, uniques = pd.factorize(df[m])  # -1 for missing
        lut = np.array([sum(1 << j for j, o in enumerate(OPTS) if o in u.split(" "))
                        for u in uniques] + [255], dtype=np.uint8)
        masks[m] = lut[k]
    load = time.perf_counter() - t0

    t0 = time.perf_counter()
    groups = list(df["grp"].cat.categories)
    g = df["grp"].cat.codes.to_numpy().astype(np.int32) * 256
    G = len(groups)
    cells = []
    for s in S:
        h = np.bincount(g + codes[s], minlength=G * 256).reshape(G, 256)
        base = h[:, 1:7].sum(axis=1)
        pct = 100 * h[:, 1:7] / base[:, None]
        cells.append((s, h[:, 1:7], base, pct))
    for m in M:
        h = np.bincount(g + masks[m], minlength=G * 256).reshape(G, 256)[:, :32]
        bits = (np.arange(32)[:, None] >> np.arange(5)[None, :]) & 1  # pattern x option
        counts = h @ bits
        base = h.sum(axis=1)
        cells.append((m, counts, base, 100 * counts / base[:, None]))
    means = df.groupby("grp", observed=True)[X].agg(["count", "mean"])
    compute = time.perf_counter() - t0
    print(f"load_s {load:.4f}")
    print(f"compute_s {compute:.4f}")

    with open(canon, "w") as out:
        out.write("item,option,group,count,base,mean\n")
        for item, counts, base, _ in cells:
            options = [str(k) for k in range(1, 7)] if item.startswith("s") else OPTS
            for gi, group in enumerate(groups):
                for oi, option in enumerate(options):
                    out.write(f"{item},{option},{group},{counts[gi, oi]},{base[gi]},\n")
        for x in X:
            for group in groups:
                out.write(f"{x},mean,{group},{means.loc[group, (x, 'count')]},,"
                          f"{means.loc[group, (x, 'mean')]:.15g}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
