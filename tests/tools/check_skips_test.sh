#!/usr/bin/env bash
# tools/check-skips on made-up CTest logs: a skipped or not-run test fails the run unless
# the allowed list gives it a reason; a list entry without a reason, and a file that is no
# CTest output, fail too; a log where everything ran passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOL=$PWD/tools/check-skips
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$T/all_ran.log" <<'LOG'
Test project /x/build/debug
      Start   1: Form.Loads
 1/2 Test   #1: Form.Loads .......................   Passed    0.01 sec
 2/2 Test   #2: cli_form_check_test ..............   Passed    1.20 sec

100% tests passed, 0 tests failed out of 2
LOG
cat >"$T/skips.log" <<'LOG'
Test project /x/build/debug
 1/4 Test   #1: Form.Loads .......................   Passed    0.01 sec
 2/4 Test   #2: Store.NeedsRoot ..................***Skipped   0.01 sec
 3/4 Test   #3: cli_off_test .....................***Not Run (Disabled)   0.00 sec
 4/4 Test   #4: cli_gone_test ....................***Not Run   0.00 sec

25% tests passed, 0 tests failed out of 4
LOG
: >"$T/none.txt"
"$TOOL" "$T/all_ran.log" "$T/none.txt" >/dev/null || fail "a run without skips was refused"
out=$("$TOOL" "$T/skips.log" "$T/none.txt" 2>&1) && fail "skips were accepted: $out"
for name in Store.NeedsRoot cli_off_test cli_gone_test; do
  grep -q "$name was .*gives no reason" <<<"$out" || fail "$name not named: $out"
done
printf '# NAME<TAB>reason\nStore.NeedsRoot\tthe machine has no second user\ncli_off_test\tdisabled on purpose\n' >"$T/some.txt"
out=$("$TOOL" "$T/skips.log" "$T/some.txt" 2>&1) && fail "an unlisted not-run test was accepted: $out"
grep -q "cli_gone_test was Not Run" <<<"$out" || fail "cli_gone_test not named: $out"
grep -q "Store.NeedsRoot Skipped (allowed: the machine has no second user)" <<<"$out" ||
  fail "the allowed skip is not reported with its reason: $out"
printf 'cli_gone_test\tfixture removed\n' >>"$T/some.txt"
"$TOOL" "$T/skips.log" "$T/some.txt" >/dev/null || fail "every skip listed, still refused"
printf 'Store.NeedsRoot\t  \n' >"$T/bad.txt"
out=$("$TOOL" "$T/all_ran.log" "$T/bad.txt" 2>&1) && fail "an entry without a reason was accepted"
grep -q "'Store.NeedsRoot' has no reason" <<<"$out" || fail "entry without a reason not named: $out"
echo "no tests here" >"$T/other.log"
"$TOOL" "$T/other.log" "$T/none.txt" >/dev/null 2>&1 && fail "a file that is no CTest output was accepted"
echo "check_skips_test: ok"
