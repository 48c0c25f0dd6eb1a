"""One command's wall time, CPU time and peak memory, as /usr/bin/time -v reports them: the
measure of the whole-command benchmarks (kobo_wide_bench.py, odk_folder_bench.py)."""
import re
import subprocess
import sys
from collections import namedtuple

Timing = namedtuple("Timing", "wall cpu rss_mib")  # seconds, user + system seconds, MiB


def timed(cmd):
    """Runs `cmd` under /usr/bin/time -v; exits the script with its output if it fails."""
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), out.stdout, out.stderr[-2000:]))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", out.stderr)
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", out.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", out.stderr).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return Timing(seconds, user + system, rss / 1024)
