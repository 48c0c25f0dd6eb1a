#!/usr/bin/python3
"""Process start and short commands: task-clock medians of whole processes.

Usage: bench/start_bench.py REPEATS BINARY [BINARY...]

For each BINARY, runs each command below REPEATS times, interleaving the binaries run by
run (so that a change in the machine's load falls on all of them alike), each run under
`perf stat -x, -e task-clock` (the CPU time of the whole process: loading, relocation,
static initialisation, the command and exit), and prints a Markdown table of medians (ms)
with the count of shared libraries the process loads (`LD_DEBUG=libs`, vdso excluded).

  --help                    BINARY --help
  form xform instrument     BINARY form xform study/instrument.xlsx -o OUT, OUT a file in
                            a temporary folder (never -o /dev/null: the atomic write renames
                            its temporary file over the target, and as root that replaces
                            /dev/null with a regular file)
  form check instrument     BINARY form check study/instrument.xlsx

Run from the repository's root, under the bench lock (bench/README.md).
"""
import os
import statistics
import subprocess
import sys
import tempfile

OUT = os.path.join(tempfile.mkdtemp(prefix="ngosurvey-start-bench-"), "instrument.xml")
COMMANDS = [
    ("`--help`", ["--help"]),
    ("`form xform` instrument", ["form", "xform", "study/instrument.xlsx", "-o", OUT]),
    ("`form check` instrument", ["form", "check", "study/instrument.xlsx"]),
]


def task_clock_ms(argv):
    run = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "--"] + argv,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         check=False)
    for line in run.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "task-clock":
            return float(fields[0])
    raise RuntimeError("no task-clock in perf's output: " + run.stderr)


def libraries(binary):
    env = dict(os.environ, LD_DEBUG="libs")
    run = subprocess.run([binary, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, env=env, check=False)
    return sum(1 for line in run.stderr.splitlines() if "calling init:" in line)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    repeats = int(sys.argv[1])
    binaries = sys.argv[2:]
    times = {(b, c): [] for b in binaries for c, _ in COMMANDS}
    for _ in range(repeats):
        for label, args in COMMANDS:
            for binary in binaries:
                times[(binary, label)].append(task_clock_ms([binary] + args))
    print("| measure | " + " | ".join(binaries) + " |")
    print("|---|" + "---:|" * len(binaries))
    for label, _ in COMMANDS:
        cells = ["%.2f" % statistics.median(times[(b, label)]) for b in binaries]
        print("| %s, task-clock median of %d (ms) | %s |" % (label, repeats, " | ".join(cells)))
    cells = [str(libraries(b)) for b in binaries]
    print("| shared libraries initialised at start (`LD_DEBUG=libs`) | %s |" % " | ".join(cells))


if __name__ == "__main__":
    main()
