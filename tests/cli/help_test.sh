# Every command's --help and usage errors, byte for byte (tests/data/cli/help.expected).
# The commands are found by walking the tree from `ngosurvey --help` (each help's
# Subcommands: list), so a command added or lost shows as a difference too. The CLI
# builds a command's options only when the command line names it (src/cli/command.h,
# AddCommand): this pins that what each command shows and refuses is what it was.
# After a deliberate change of a help text, remake the file:
#   NGOSURVEY=build/debug/ngosurvey bash tests/cli/help_test.sh --update
source "$(dirname "$0")/lib.sh"
cd "${SOURCE_DIR:-.}"
EXPECTED=tests/data/cli/help.expected

# run ARGS...: one invocation, its stdout, stderr and exit status, as the file has them.
run() {
  echo "\$ ngosurvey $*"
  set +e
  "$NGOSURVEY" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local status=$?
  set -e
  cat "$TMP/out"
  echo "--- stderr"
  cat "$TMP/err"
  echo "--- exit $status"
}

# subcommands HELP_FILE: the names in its Subcommands: section (two spaces, then the name;
# longer descriptions go on over lines indented further).
subcommands() {
  awk '/^Subcommands:/ { inside = 1; next }
       inside && /^$/ { inside = 0 }
       inside && /^  [^ ]/ { print $1 }' "$1"
}

# walk PATH...: the command's help, its usage errors, then its subcommands'.
walk() {
  run "$@" --help
  cp "$TMP/out" "$TMP/help.$$"
  local help
  help=$(cat "$TMP/help.$$")
  run "$@" --no-such-option
  # Bare, only when that cannot run the command: a required option or positional is
  # missing, or a subcommand is required.
  if grep -q "REQUIRED" <<<"$help" || grep -qE '^Usage: .* SUBCOMMAND$' <<<"$help"; then
    run "$@"
  fi
  # A value each checked option or positional refuses (a set, a range, an existing file).
  local checked
  checked=$(awk '/^(Options|Positionals):/ { inside = 1; next }
                 inside && /^$/ { inside = 0 }
                 inside && /^  [^ ]+ [A-Z]+:/ { print $1 }' "$TMP/help.$$")
  local option
  for option in $checked; do
    case "$option" in
      -*) run "$@" "${option##*,}" no-such-value ;;
      *) run "$@" no-such-value ;;
    esac
  done
  local subs
  subs=$(subcommands "$TMP/help.$$")
  if [ -n "$subs" ]; then
    run "$@" no-such-command
  fi
  local sub
  for sub in $subs; do walk "$@" "$sub"; done
}

walk >"$TMP/got"
if [ "${1:-}" = "--update" ]; then
  mkdir -p "$(dirname "$EXPECTED")"
  cp "$TMP/got" "$EXPECTED"
  exit 0
fi
commands=$(grep -c -- '--help$' "$TMP/got")
[ "$commands" -ge 50 ] || fail "found only $commands commands' help"
diff -u "$EXPECTED" "$TMP/got" || fail "a command's help or usage error differs from $EXPECTED"
run --version >"$TMP/version"
expect_contains "$TMP/version" "ngosurvey 0.1.0"
