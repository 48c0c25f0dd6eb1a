#!/usr/bin/env bash
# tools/errors on a made-up checkout: it must refuse a code used but not catalogued, a
# code catalogued twice, a catalogued code used nowhere and a stale docs/errors.md, and
# accept the checkout once each is fixed; message patterns are cut from the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOL=$PWD/tools/errors
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$T/src/alpha" "$T/src/beta" "$T/docs"
cat >"$T/src/alpha/alpha.cpp" <<'CPP'
// "ZZ009" in a comment is no use.
Result<int> F(const std::string& name, int n) {
  if (n < 0) return MakeError("ZZ001", "unknown name '" + name + "'", Where(n));
  if (n == 0) return MakeError("ZZ002", n > 1 ? "several" : "none at " + std::to_string(n));
  if (error.code == "ZZ003") return 1;  // a comparison: a use without a message
  return Fail("ZZ004", row, cols_.value, fmt::format("row {} of {}", n, name));
}
CPP
cat >"$T/src/alpha/alpha_test.cpp" <<'CPP'
EXPECT_EQ(code, "ZZ777");  // tests are not scanned
CPP
printf '# alpha\nZZ001\tName a known thing.\nZZ002\tGive one.\nZZ004\tFix the row.\n' >"$T/src/alpha/errors.tsv"
printf 'ZZ002\tAgain.\nZZ005\tNever used.\n' >"$T/src/beta/errors.tsv"
out=$("$TOOL" --check --root "$T" 2>&1) && fail "accepted a broken catalogue: $out"
grep -q 'ZZ003 is used in src/alpha/alpha.cpp but is in no catalogue' <<<"$out" || fail "missing code not named: $out"
grep -q 'src/beta/errors.tsv:1: ZZ002 is defined twice (also src/alpha/errors.tsv:3)' <<<"$out" || fail "duplicate not named: $out"
grep -q 'src/beta/errors.tsv:2: ZZ005 is catalogued but used nowhere' <<<"$out" || fail "unused code not named: $out"
grep -q 'docs/errors.md is stale' <<<"$out" || fail "stale page not named: $out"
grep -q 'ZZ009\|ZZ777' <<<"$out" && fail "a comment or a test was scanned: $out"
printf 'ZZ003\tCompare it.\n' >"$T/src/beta/errors.tsv"
"$TOOL" --root "$T" >/dev/null 2>&1 || fail "generation failed on a sound catalogue"
"$TOOL" --check --root "$T" >/dev/null 2>&1 || fail "a sound catalogue refused: $("$TOOL" --check --root "$T" 2>&1)"
doc=$T/docs/errors.md
grep -qF "| ZZ001 | alpha | unknown name '…' | Name a known thing. |" "$doc" || fail "ZZ001 row: $(cat "$doc")"
grep -qF "| ZZ002 | alpha | several / none at … | Give one. |" "$doc" || fail "ZZ002 row: $(cat "$doc")"
grep -qF "| ZZ003 | beta | - | Compare it. |" "$doc" || fail "ZZ003 row: $(cat "$doc")"
grep -qF "| ZZ004 | alpha | row … of … | Fix the row. |" "$doc" || fail "ZZ004 row: $(cat "$doc")"
# A retired code stays catalogued though nothing uses it; used again, it is refused.
printf 'ZZ003\tCompare it.\nZZ006\tRetired: meant something once.\n' >"$T/src/beta/errors.tsv"
"$TOOL" --root "$T" >/dev/null 2>&1 || fail "generation failed with a retired code"
"$TOOL" --check --root "$T" >/dev/null 2>&1 || fail "a retired code refused: $("$TOOL" --check --root "$T" 2>&1)"
grep -qF "| ZZ006 | beta | - | Retired: meant something once. |" "$doc" || fail "ZZ006 row: $(cat "$doc")"
printf 'ZZ002\tGive one.\nZZ004\tFix the row.\nZZ001\tRetired: no longer.\n' >"$T/src/alpha/errors.tsv"
out=$("$TOOL" --check --root "$T" 2>&1) && fail "accepted a retired code in use: $out"
grep -q 'src/alpha/errors.tsv:3: ZZ001 is retired but used in src/alpha/alpha.cpp' <<<"$out" || fail "retired code in use not named: $out"
printf 'ZZ001\tName a known thing.\nZZ002\tGive one.\nZZ004\tFix the row.\n' >"$T/src/alpha/errors.tsv"
printf 'ZZ003 Compare it.\n' >"$T/src/beta/errors.tsv"
out=$("$TOOL" --check --root "$T" 2>&1) && fail "accepted a malformed line"
grep -q 'src/beta/errors.tsv:1: not "CODE<TAB>what to do' <<<"$out" || fail "malformed line not named: $out"
echo "errors_test: ok"
