#!/usr/bin/python3
"""Round trips of exports, as data: tests/exchange/cases.tsv (dataset x format x language x
reader) and tests/exchange/expected.tsv (what every export of a dataset must say).

Usage: roundtrip.py NGOSURVEY WORKDIR

For each case: the dataset (tests/data/exchange/<dataset>/main.csv + programs.csv) is imported
into a fresh store, exported with --format and --lang, and every file is read back by an
independent reader: pandas (read_csv, read_excel, read_stata) or R's haven (read_dta, read_sav,
through tests/exchange/read_haven.R). Variable names are looked up in the codebook the export
wrote (its CSV | Stata | SPSS columns), so the codebook's mapping is checked too. Prints one
line per failed check and exits 1 if any failed.
"""
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "data", "exchange")
FORM = os.path.join(DATA, "form.xlsx")
CHOICES = os.path.join(DATA, "form", "choices.csv")


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("command failed (%d): %s\n%s%s" % (p.returncode, " ".join(args), p.stdout, p.stderr))
    return p.stdout


def codebook_names(md_path):
    """(level, csv name) -> {"stata": ..., "spss": ...} from the Markdown codebook."""
    names, level = {}, None
    with open(md_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                level = line[3:].split(" ")[0]
            elif line.startswith("| ") and level and not line.startswith("| CSV"):
                cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
                names[(level, cells[0])] = {"stata": cells[1], "spss": cells[2]}
    return names


def wanted_text(expected, lang):
    """'en=A|km=B' -> the text for lang; plain text otherwise."""
    if "=" in expected and expected.split("=", 1)[0] in ("en", "km", "vi"):
        for part in expected.split("|"):
            code, text = part.split("=", 1)
            if code == lang:
                return text
    return expected.replace("\\n", "\n")


def same_number(a, b):
    """'120000.50' and '120000.5': CSV keeps the text as collected."""
    try:
        return float(a) == float(b)
    except ValueError:
        return False


class Table:
    """One level read back: columns by name, rows by KEY, with missing kinds and labels."""

    def __init__(self, values, kinds, var_labels, value_labels, key_column):
        self.values, self.kinds = values, kinds  # name -> list
        self.var_labels, self.value_labels = var_labels, value_labels
        self.row_of = {k: i for i, k in enumerate(values[key_column])}


def read_pandas(path, fmt, level_name, key_name):
    import pandas as pd
    if fmt == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        values = {c: list(df[c]) for c in df.columns}
        kinds = {c: ["refused" if v == "refused" else "dont_know" if v == "dont_know" else
                     "empty" if v == "" else "value" for v in df[c]] for c in df.columns}
        return Table(values, kinds, {}, {}, key_name)
    if fmt == "xlsx":
        df = pd.read_excel(path, sheet_name=level_name, dtype=object)
        values, kinds = {}, {}
        for c in df.columns:
            col = []
            for v in df[c]:
                if isinstance(v, float) and v != v:
                    col.append("")
                elif isinstance(v, float) and v.is_integer():
                    col.append(str(int(v)))
                else:
                    col.append(str(v))
            values[c] = col
            kinds[c] = ["refused" if v == "refused" else "dont_know" if v == "dont_know" else
                        "empty" if v == "" else "value" for v in col]
        return Table(values, kinds, {}, {}, key_name)
    if fmt == "dta":
        reader = pd.io.stata.StataReader(path)
        # convert_dates with convert_missing fails in pandas 1.5 (object columns): dates
        # are converted here from the display formats instead.
        df = reader.read(convert_missing=True, convert_categoricals=False, convert_dates=False)
        formats = dict(zip(reader.varlist, reader.fmtlist))
        var_labels = reader.variable_labels()
        label_names = reader.lbllist  # variable -> value label set name
        sets = reader.value_labels()
        value_labels = {}
        for var, set_name in zip(reader.varlist, label_names):
            if set_name:
                value_labels[var] = sets.get(set_name, {})
        values, kinds = {}, {}
        for c in df.columns:
            col, kind = [], []
            for v in df[c]:
                if isinstance(v, pd.io.stata.StataMissingValue):
                    s = v.string
                    kind.append({".a": "refused", ".b": "dont_know"}.get(s, "empty"))
                    col.append("")
                elif v is None or (isinstance(v, float) and v != v):
                    kind.append("empty"), col.append("")
                elif formats.get(c, "").startswith("%td"):
                    day = pd.Timestamp("1960-01-01") + pd.Timedelta(days=float(v))
                    kind.append("value"), col.append(day.strftime("%Y-%m-%d"))
                elif formats.get(c, "").startswith("%tc"):
                    t = pd.Timestamp("1960-01-01") + pd.Timedelta(milliseconds=float(v))
                    kind.append("value"), col.append(t.strftime("%Y-%m-%dT%H:%M:%S"))
                elif isinstance(v, str):
                    kind.append("empty" if v == "" else "value"), col.append(v)
                else:
                    f = float(v)
                    kind.append("value")
                    col.append(str(int(f)) if f.is_integer() else repr(f))
            values[c], kinds[c] = col, kind
        return Table(values, kinds, var_labels, value_labels, key_name)
    raise ValueError(fmt)


def read_haven(path, fmt, key_name):
    out = path + ".json"
    run("Rscript", os.path.join(HERE, "read_haven.R"), path, fmt, out)
    with open(out, encoding="utf-8") as f:
        d = json.load(f)
    values = {c: [("" if v is None else v) for v in col["values"]] for c, col in d.items()}
    kinds = {c: col["kinds"] for c, col in d.items()}
    var_labels = {c: col.get("label") or "" for c, col in d.items()}
    value_labels = {c: {float(k): v for k, v in (col.get("labels") or {}).items()} for c, col in d.items()}
    return Table(values, kinds, var_labels, value_labels, key_name)


def main(argv):
    ngosurvey, work = argv[1], argv[2]
    os.makedirs(work, exist_ok=True)
    cases = read_tsv(os.path.join(HERE, "cases.tsv"))
    expected = read_tsv(os.path.join(HERE, "expected.tsv"))
    failures, checks = [], 0
    for dataset, fmt, lang, reader in cases:
        case = "%s.%s.%s.%s" % (dataset, fmt, lang, reader)
        db = os.path.join(work, case + ".db")
        if os.path.exists(db):
            os.remove(db)
        run(ngosurvey, "import", "--db", db, "--form", FORM, os.path.join(DATA, dataset, "main.csv"),
            "--repeat", "programs=" + os.path.join(DATA, dataset, "programs.csv"))
        out = os.path.join(work, case + "." + fmt)
        run(ngosurvey, "export", "--db", db, "--form", "exchange_demo", "--format", fmt, "--lang", lang,
            "-o", out)
        names = codebook_names(out[: -len(fmt) - 1] + "-codebook.md")
        tables = {}
        for level in ("main", "programs"):
            path = out if level == "main" or fmt == "xlsx" else out[: -len(fmt) - 1] + "-programs." + fmt
            key = "KEY" if fmt in ("csv", "xlsx") else names[(level, "KEY")]["stata" if fmt == "dta" else "spss"]
            if reader == "pandas":
                tables[level] = read_pandas(path, fmt, level, key)
            else:
                tables[level] = read_haven(path, fmt, key)
        for ds, level, variable, key, kind, want in ([*row, ""][:6] for row in expected):
            if ds != dataset:
                continue
            checks += 1
            t = tables[level]
            name = variable
            if fmt == "dta":
                name = names[(level, variable)]["stata"]
            elif fmt == "sav":
                name = names[(level, variable)]["spss"]
            where = "%s: %s %s %s" % (case, level, variable, key)
            if name not in t.values:
                failures.append("%s: no column %s" % (where, name))
                continue
            if kind == "label":
                if fmt in ("csv", "xlsx"):
                    checks -= 1  # CSV and XLSX carry labels only in the codebook
                    continue
                got = t.var_labels.get(name, "")
                if got != wanted_text(want, lang):
                    failures.append("%s: label %r, wanted %r" % (where, got, wanted_text(want, lang)))
                continue
            if key not in t.row_of:
                failures.append("%s: no row" % where)
                continue
            i = t.row_of[key]
            got_kind, got = t.kinds[name][i], t.values[name][i]
            if got_kind != kind:
                failures.append("%s: %s %r, wanted %s" % (where, got_kind, got, kind))
                continue
            if kind != "value":
                continue
            text = wanted_text(want, lang)
            labels = t.value_labels.get(name) or {}
            if fmt in ("dta", "sav") and labels and "=" in want and got != "":
                got = labels.get(float(got), "(code %s has no label)" % got)
            elif "=" in want and fmt in ("csv", "xlsx"):
                # CSV and XLSX keep the choice name: map the expected label back to it.
                with open(CHOICES, encoding="utf-8") as f:
                    for row in csv.DictReader(f):
                        if row["label::English (en)"] == wanted_text(want, "en"):
                            text = row["name"]
            if got != text and not same_number(got, text):
                failures.append("%s: %r, wanted %r" % (where, got, text))
    for f in failures:
        print("FAIL " + f)
    print("roundtrip: %d cases, %d checks, %d failures" % (len(cases), checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
