#!/usr/bin/env python3
"""Drives `ngosurvey interview` on examples/ngo_profile.xlsx like an interviewer who
answers whatever question is shown (answers chosen by question name), for the crash
and concurrency tests (tests/cli/interview_crash_test.sh, interview_concurrent_test.sh).

  crash --db DB --kills N [--seed S]   SIGKILL the interviewer at random moments; after
                                       each kill: PRAGMA integrity_check (sqlite3 shell)
                                       and every answer printed as saved is in the file
  concurrent --db DB [--pairs N]       two interviewers on one file at once, N times;
                                       both keep every answer

The interviewer prints "Saved: LABEL = VALUE" only after the draft's transaction
committed, so every such line read before the kill must be in the store. The screen
shows labels, not names or codes: screen_reader.py maps them back to the form.
"""
import argparse
import os
import random
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time

from screen_reader import FormScreens

FORM = "examples/ngo_profile.xlsx"
NGOSURVEY = os.environ.get("NGOSURVEY", "build/debug/ngosurvey")
SCREENS = None  # FormScreens of FORM in English, made once


def screens():
    global SCREENS
    if SCREENS is None:
        SCREENS = FormScreens(NGOSURVEY, FORM, "en")
    return SCREENS


def oracle(k):
    """Answers of interview number k, by question name (":refuse" refuses)."""
    return {
        "org_name": f"Org {k}",
        "year_founded": str(1990 + k % 30),
        "org_type": "local_ngo",
        "province": "phnom_penh",
        "district": "daun_penh",
        "staff_paid": str(k % 50),
        "staff_volunteer": ":refuse" if k % 2 else "3",
        "programme_count": "2",
        "programme_name": f"Programme of {k}",
        "sector": "health education",
        "programme_budget": "1000.5",
        "has_website": "yes",
        "website": f"www.org{k}.example",
    }


def expected_value(answer):
    return ("refused", "") if answer == ":refuse" else ("answered", answer)


class Interviewer:
    """One ngosurvey interview process answering from the oracle."""

    def __init__(self, db, k, resume=None):
        self.k = k
        self.answers = oracle(k)
        cmd = [NGOSURVEY, "interview", "--db", db, "--interviewer", f"iv{k % 3}", "--org", f"org-{k}"]
        cmd += ["--resume", resume] if resume else ["--form", FORM]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buf = b""
        self.lines = []
        self.question = None
        self.after_header = False  # the next line is a question's label
        self.instance = resume
        self.saved = {}  # path -> (state, value), as printed
        self.complete = False
        self.sent = 0  # answers and commands sent

    def _consume_lines(self):
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            text = line.decode("utf-8", "replace")
            self.lines.append(text)
            reader = screens()
            instance = reader.instance_line(text)
            if instance:
                self.instance = instance
            saved = reader.saved_line(text)
            if saved:
                self.saved[saved[0]] = saved[1]
            if self.after_header and text and not text.startswith("("):
                asked = reader.question_line(text)
                self.question = asked[0] if asked else None
                self.after_header = False
            if re.match(r"^\[\d+/\d+\]", text):
                self.after_header = True
            if reader.complete_line(text):
                self.complete = True

    def _reply(self):
        last = self.lines[-1] if self.lines else ""
        if "[end]" in self.lines[-2:]:
            return "y"
        m = re.match(r"^Add .* (\d+)\? \[y/n\]$", last)
        if m:
            return "y" if int(m.group(1)) <= 2 else "n"
        if self.question in ("staff_note", "thanks"):
            return ""
        return self.answers.get(self.question, "")

    def step(self, deadline):
        """Reads output and answers prompts until `deadline` or the process ends.
        Returns False when the process has ended."""
        fd = self.proc.stdout.fileno()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return False
            self.buf += chunk
            self._consume_lines()
            if self.buf == b"> ":
                self.buf = b""
                try:
                    self.proc.stdin.write((self._reply() + "\n").encode())
                    self.proc.stdin.flush()
                    self.sent += 1
                except BrokenPipeError:
                    return False
        return True

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        # What was printed before the kill is still in the pipe.
        rest = self.proc.stdout.read()
        self.buf += rest
        self._consume_lines()
        self.proc.stdout.close()
        self.proc.stdin.close()
        self.proc.stderr.close()

    def finish(self, timeout=120):
        alive = self.step(time.monotonic() + timeout)
        if alive:
            raise SystemExit(f"FAIL: interview {self.k} did not finish in {timeout} s")
        self.proc.wait()
        err = self.proc.stderr.read().decode()
        self.proc.stdout.close()
        self.proc.stdin.close()
        self.proc.stderr.close()
        return self.proc.returncode, err


def integrity(db):
    out = subprocess.run(["sqlite3", "-cmd", ".timeout 30000", db, "PRAGMA integrity_check"], capture_output=True, text=True)
    if out.returncode != 0 or out.stdout.strip() != "ok":
        raise SystemExit(f"FAIL: integrity_check: {out.stdout.strip()} {out.stderr.strip()}")


STATES = ("answered", "refused", "dont_know", "not_asked", "missing")


def unpack(blob):
    """Decodes a completed submission's packed answers (docs/formats/sqlite-schema.md,
    "Packed answers", format 1): an independent reader of what the store writes."""
    pos = 0

    def varint():
        nonlocal pos
        n = shift = 0
        while True:
            b = blob[pos]
            pos += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return n

    if blob[0] != 1:
        raise SystemExit(f"FAIL: packed answers of format {blob[0]}")
    pos = 1
    out, previous = {}, b""
    for _ in range(varint()):
        shared = varint()
        size = varint()
        path = previous[:shared] + blob[pos:pos + size]
        pos += size
        state = STATES[blob[pos]]
        pos += 1
        size = varint()
        out[path.decode()] = (state, blob[pos:pos + size].decode())
        pos += size
        previous = path
    if pos != len(blob):
        raise SystemExit("FAIL: bytes after the packed answers")
    return out


def stored(db, instance):
    """The answers stored for `instance`: rows while a draft, the packed blob once complete."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        con.execute("BEGIN")
        rows = con.execute(
            "SELECT a.path, a.state, a.value FROM answers a JOIN submissions s ON s.id = a.submission_id"
            " WHERE s.instance_id = ?", (instance,)).fetchall()
        packed = con.execute(
            "SELECT p.data FROM packed_answers p JOIN submissions s ON s.id = p.submission_id"
            " WHERE s.instance_id = ?", (instance,)).fetchone()
        status = con.execute("SELECT status FROM submissions WHERE instance_id = ?",
                             (instance,)).fetchone()
        con.execute("COMMIT")
    finally:
        con.close()
    have = {p: (st, v or "") for p, st, v in rows}
    if packed is not None:
        if rows:
            raise SystemExit(f"FAIL: {instance} has both answer rows and packed answers")
        have = unpack(bytes(packed[0]))
    if (status is not None and status[0] == "complete") != (packed is not None):
        raise SystemExit(f"FAIL: {instance} is {status} with packed answers: {packed is not None}")
    return have, (status[0] if status else None)


def check_saved(db, instance, k, saved, what):
    """Every answer printed as saved is in the store, with its state and value. Only
    the interviewer's answers are checked: a calculation may have been committed
    with a newer value just before the kill, without its line printed."""
    have, _ = stored(db, instance)
    names = oracle(k)
    for path, want in saved.items():
        if path.split("/")[-1] not in names:
            continue
        if have.get(path) != want:
            raise SystemExit(f"FAIL ({what}): {instance} {path}: printed as saved {want}, "
                             f"store has {have.get(path)}")


def check_complete(db, instance, k):
    have, status = stored(db, instance)
    if status != "complete":
        raise SystemExit(f"FAIL: {instance} (interview {k}) is {status}, not complete")
    for name, answer in oracle(k).items():
        paths = [p for p in have if p.split("/")[-1] == name]
        want = 2 if name in ("programme_name", "sector", "programme_budget") else 1
        if len(paths) != want:
            raise SystemExit(f"FAIL: {instance} has {len(paths)} answers to {name}, wanted {want}")
        for p in paths:
            if have[p] != expected_value(answer):
                raise SystemExit(f"FAIL: {instance} {p} = {have[p]}, wanted {expected_value(answer)}")


def crash(args):
    """`lanes` interviewers at once on one file, each SIGKILLed at a random moment of its
    run (startup included: opening the store, storing the form, creating the draft);
    after each kill the file is checked and the killed draft is resumed next."""
    rng = random.Random(args.seed)
    stats = {"kills": 0, "resumes": 0, "completed": 0, "checked": 0}
    counter = [0]
    lanes = [{"iv": None, "deadline": 0.0, "current": None} for _ in range(args.lanes)]
    started = time.monotonic()

    def stopped(signum, frame):  # a long run stopped early still reports its figure
        print(f"crash: stopped after {stats['kills']} kills, {stats['completed']} completed, "
              f"{stats['checked']} saved answers checked, integrity ok after every kill "
              f"({time.monotonic() - started:.0f} s)", flush=True)
        sys.exit(1)
    signal.signal(signal.SIGTERM, stopped)

    def launch(lane):
        if lane["current"] is None:
            counter[0] += 1
            lane["iv"] = Interviewer(args.db, counter[0])
        else:
            instance, k = lane["current"]
            lane["iv"] = Interviewer(args.db, k, resume=instance)
            stats["resumes"] += 1
        # The kill comes after a random number of answers (0: during the start-up,
        # while the store is opened, the form stored and the draft created), then
        # within a few milliseconds: mid-transaction, between the commit and the
        # "saved" line, or while waiting for input.
        lane["after"] = rng.randint(0, 17)
        lane["extra"] = rng.uniform(0.0, args.max_delay)
        lane["deadline"] = (time.monotonic() + rng.uniform(0.0, args.startup)
                            if lane["after"] == 0 else float("inf"))

    def settle(lane, killed):
        iv = lane["iv"]
        if killed:
            iv.kill()
            stats["kills"] += 1
            if stats["kills"] % 100 == 0:
                print(f"  {stats['kills']} kills, {stats['completed']} completed, "
                      f"{time.monotonic() - started:.0f} s", flush=True)
        else:
            iv.proc.wait()
            err = iv.proc.stderr.read().decode()
            if iv.proc.returncode != 0:
                # Killed after the completion committed but before "complete" was
                # printed: the draft is complete, and --resume says so.
                if lane["current"] is not None and "is complete" in err:
                    iv.complete = True
                else:
                    raise SystemExit(f"FAIL: interviewer exited {iv.proc.returncode}: {err}")
        integrity(args.db)
        if iv.instance:
            check_saved(args.db, iv.instance, iv.k, iv.saved, f"after kill {stats['kills']}")
            stats["checked"] += sum(1 for p in iv.saved if p.split("/")[-1] in iv.answers)
        if iv.complete:
            check_complete(args.db, iv.instance, iv.k)
            stats["completed"] += 1
            lane["current"] = None
        elif iv.instance:
            lane["current"] = (iv.instance, iv.k)
        else:
            lane["current"] = None  # killed before its instance id was printed
        lane["iv"] = None

    while stats["kills"] < args.kills or any(l["iv"] for l in lanes):
        for lane in lanes:
            if lane["iv"] is None:
                if stats["kills"] + sum(1 for l in lanes if l["iv"]) >= args.kills:
                    continue
                launch(lane)
            now = time.monotonic()
            if lane["deadline"] == float("inf") and lane["iv"].sent >= lane["after"]:
                lane["deadline"] = now + lane["extra"]
            if now >= lane["deadline"]:
                settle(lane, killed=True)
                continue
            if not lane["iv"].step(min(lane["deadline"], now + 0.005)):
                settle(lane, killed=False)
    elapsed = time.monotonic() - started
    print(f"crash: {stats['kills']} kills, {stats['resumes']} resumes, {stats['completed']} "
          f"interviews completed, {stats['checked']} saved answers checked, integrity ok after "
          f"every kill ({args.lanes} interviewers at once, {elapsed:.1f} s)")


def concurrent(args):
    k = 1000
    for pair in range(args.pairs):
        a, b = Interviewer(args.db, k), Interviewer(args.db, k + 1)
        deadline = time.monotonic() + 120
        alive = {a: True, b: True}
        while any(alive.values()) and time.monotonic() < deadline:
            for iv in (a, b):
                if alive[iv]:
                    alive[iv] = iv.step(time.monotonic() + 0.01)
        for iv in (a, b):
            code, err = iv.finish(timeout=1)
            if code != 0:
                raise SystemExit(f"FAIL: interviewer {iv.k} exited {code}: {err}")
            check_complete(args.db, iv.instance, iv.k)
        integrity(args.db)
        k += 2
    print(f"concurrent: {args.pairs} pairs of simultaneous interviews, every answer kept")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("crash")
    c.add_argument("--db", required=True)
    c.add_argument("--kills", type=int, default=200)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--max-delay", type=float, default=0.04,
                   help="a kill comes within this many seconds of the chosen answer")
    c.add_argument("--startup", type=float, default=1.0,
                   help="kills during the start-up come within this many seconds")
    c.add_argument("--lanes", type=int, default=6, help="interviewers running at once")
    p = sub.add_parser("concurrent")
    p.add_argument("--db", required=True)
    p.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    crash(args) if args.cmd == "crash" else concurrent(args)


if __name__ == "__main__":
    main()
