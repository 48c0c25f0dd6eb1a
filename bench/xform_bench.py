#!/usr/bin/python3
"""Timed comparison of `ngosurvey form xform` with pyxform on the same workbooks.

Usage: bench/xform_bench.py NGOSURVEY REPEATS WORKDIR [PYXFORM_SRC]

Workbooks (the generated one is written once per WORKDIR, deterministically):

  gen10k      a generated 10,000-row form (SYNTHETIC): three languages (en, km, vi) for
              labels, hints and constraint messages; 30 choice lists shared by the
              selects; relevance and constraints that reference earlier questions;
              groups of 50 questions; one repeat of 100 questions with a count;
  instrument  the reference study's instrument (study/instrument.xlsx, 130 rows).

Each is converted REPEATS times by each tool, timed (wall, and CPU = user + sys from the
process's rusage, of the whole process: reading the .xlsx, checking and writing the XForm):

  ngosurvey   NGOSURVEY form xform FILE -o OUT.xml
  pyxform     python3 -m pyxform.xls2xform --skip_validate FILE OUT.xml, with PYXFORM_SRC
              (a checkout of XLSForm/pyxform) on PYTHONPATH; skipped, saying so, when
              pyxform cannot be imported (it needs python3-openpyxl, -xlrd, -defusedxml,
              -lark). pyxform is a peer, never a dependency.

Prints a Markdown table of medians and the ratio pyxform / ngosurvey.
"""
import csv
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
LANGS = [("English", "en"), ("Khmer", "km"), ("Vietnamese", "vi")]


def make_form(folder, rows=10000):
    os.makedirs(folder, exist_ok=True)
    header = ["type", "name"]
    for kind in ("label", "hint", "constraint_message"):
        header += ["%s::%s (%s)" % (kind, name, code) for name, code in LANGS]
    header += ["relevant", "constraint", "required", "repeat_count"]
    out = []
    n = 0
    group = 0
    last_int = None

    def question(i, in_repeat):
        nonlocal last_int
        kind = i % 5
        name = "q%05d" % i
        texts = ["Question %d" % i, "សំណួរ %d" % i, "Câu hỏi %d" % i]
        hints = ["Hint %d" % i, "", "Gợi ý %d" % i] if i % 3 == 0 else ["", "", ""]
        msgs = ["", "", ""]
        relevant = constraint = ""
        if kind == 0:
            t = "integer"
            constraint = ". >= 0 and . < 1000"
            msgs = ["0 to 999", "០ ដល់ ៩៩៩", "0 đến 999"]
            last_int = name
        elif kind in (1, 2):
            t = "select_one list%02d" % ((i // 5) % 30)
        elif kind == 3:
            t = "select_multiple list%02d" % ((i // 5 + 7) % 30)
        else:
            t = "text"
        if last_int and i % 4 == 1:
            relevant = "${%s} > %d" % (last_int, i % 50)
        return [t, name] + texts + hints + msgs + [relevant, constraint, "yes" if i % 2 else "", ""]

    i = 0
    while len(out) < rows - 1:
        if len(out) % 52 == 0:
            group += 1
            out.append(["begin_group", "g%03d" % group, "Part %d" % group, "ផ្នែក %d" % group,
                        "Phần %d" % group] + [""] * 10)
        if group == 5 and len(out) % 52 == 1 and not any(r[0] == "begin_repeat" for r in out):
            out.append(["integer", "members", "How many members?", "សមាជិកប៉ុន្មាន?",
                        "Bao nhiêu thành viên?"] + [""] * 10)
            out.append(["begin_repeat", "member", "Member", "សមាជិក", "Thành viên"] + [""] * 9 +
                       ["${members}"])
            for _ in range(100):
                i += 1
                out.append(question(i, True))
            out.append(["end_repeat", ""] + [""] * 13)
        i += 1
        out.append(question(i, False))
        if len(out) % 52 == 51:
            out.append(["end_group", ""] + [""] * 13)
    if sum(1 for r in out if r[0] == "begin_group") > sum(1 for r in out if r[0] == "end_group"):
        out.append(["end_group", ""] + [""] * 13)
    with open(os.path.join(folder, "survey.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(out)
    with open(os.path.join(folder, "choices.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["list_name", "name"] + ["label::%s (%s)" % l for l in LANGS])
        for l in range(30):
            for c in range(1 + l % 8 + 2):
                w.writerow(["list%02d" % l, "c%d" % c, "Choice %d" % c, "ជម្រើស %d" % c,
                            "Lựa chọn %d" % c])
    with open(os.path.join(folder, "settings.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["form_id", "version", "default_language"])
        w.writerow(["gen10k", "1", "English (en)"])
    return len(out)


def timed(cmd, env=None):
    """Wall and CPU (user + sys, from the child's rusage: microseconds) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), err[-2000:]))
    return wall, usage.ru_utime + usage.ru_stime


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    ngosurvey, repeats, work = argv[1], int(argv[2]), argv[3]
    pyxform_src = argv[4] if len(argv) == 5 else ""
    os.makedirs(work, exist_ok=True)
    gen = os.path.join(work, "gen10k")
    gen_xlsx = gen + ".xlsx"
    if not os.path.exists(gen_xlsx):
        rows = make_form(gen)
        subprocess.run([os.path.join(ROOT, "tools", "xlsform-from-csv"), gen, gen_xlsx],
                       check=True)
        print("generated %s: %d survey rows (SYNTHETIC)" % (gen_xlsx, rows + 1))
    cases = [("gen10k", gen_xlsx), ("instrument", os.path.join(ROOT, "study", "instrument.xlsx"))]
    env = dict(os.environ)
    env["PYTHONPATH"] = pyxform_src + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    have_pyxform = subprocess.run([PY, "-c", "import pyxform.xls2xform"], env=env,
                                  capture_output=True).returncode == 0
    if not have_pyxform:
        print("pyxform: not importable (give PYXFORM_SRC and install python3-openpyxl, "
              "python3-xlrd, python3-defusedxml, python3-lark); peer skipped")
    results = {}
    for name, path in cases:
        tools = [("ngosurvey", [ngosurvey, "form", "xform", path, "-o",
                                os.path.join(work, name + ".ngo.xml")], None)]
        if have_pyxform:
            tools.append(("pyxform", [PY, "-m", "pyxform.xls2xform", "--skip_validate", path,
                                      os.path.join(work, name + ".py.xml")], env))
        for tool, cmd, tool_env in tools:
            runs = [timed(cmd, tool_env) for _ in range(repeats)]
            results[(name, tool)] = (statistics.median(r[0] for r in runs),
                                     statistics.median(r[1] for r in runs))
    print()
    print("| workbook | tool | wall median (ms) | CPU median (ms) | pyxform / ngosurvey (CPU) |")
    print("|---|---|---:|---:|---:|")
    for name, _ in cases:
        base = results[(name, "ngosurvey")]
        for tool in ("ngosurvey", "pyxform"):
            if (name, tool) not in results:
                continue
            wall, cpu = results[(name, tool)]
            ratio = "%.0fx" % (cpu / base[1]) if tool == "pyxform" and base[1] > 0 else ""
            print("| %s | %s | %.1f | %.1f | %s |" % (name, tool, wall * 1000, cpu * 1000, ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
