#!/usr/bin/env bash
# Captures `form xform` on every workbook of the repository (study/, examples/, tests/,
# fuzz/), bench/xform_bench.py's generated gen10k and any extra folders given, one
# output per workbook (the XForm's bytes, stderr and the exit status), so that a change
# meant to keep the XForm byte-identical can be checked:
#   bench/xform_same.sh BINARY OUT_DIR [EXTRA_DIR...]   # main's binary, then the new one
#   diff -r OUT_BEFORE OUT_AFTER                        # nothing: identical
# gen10k is read from /tmp/xform-bench/gen10k.xlsx (bench/xform_bench.py writes it).
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: bench/xform_same.sh BINARY OUT_DIR [EXTRA_DIR...]" >&2; exit 2; }
B=$(realpath "$1")
OUT=$(realpath -m "$2")
shift 2
cd "$(dirname "$0")/.."
rm -rf "$OUT" && mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
{
  find study examples tests fuzz -name '*.xlsx' -type f | sort
  [ -f /tmp/xform-bench/gen10k.xlsx ] && echo /tmp/xform-bench/gen10k.xlsx
  for extra in "$@"; do find "$extra" -name '*.xlsx' -type f | sort; done
} >"$W/list"
n=0
while IFS= read -r file; do
  n=$((n + 1))
  key=$(printf '%s' "$file" | tr '/' '_')
  # The file's own name keeps the form id pyxform falls back on.
  "$B" form xform "$file" -o "$W/out.xml" >"$OUT/$key.out" 2>"$OUT/$key.err" </dev/null
  echo "rc=$?" >"$OUT/$key.rc"
  if [ -f "$W/out.xml" ]; then mv "$W/out.xml" "$OUT/$key.xml"; fi
  sed -i "s#$W#WORK#g" "$OUT/$key.err"
done <"$W/list"
echo "$n workbooks, $(ls "$OUT"/*.xml 2>/dev/null | wc -l) XForms written to $OUT"
