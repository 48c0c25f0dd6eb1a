#!/usr/bin/env bash
# The README's collection-server lines work verbatim on a fresh machine (issue 15, "done
# when"): the lines from `$B form publish` to `$B serve --db survey.db ...` are taken
# from README.md as they are written and run in an empty folder (with the checkout's
# examples/ beside it), `users add` answering its password prompts on a terminal (a
# pseudo-terminal: `script`), and `serve` listening on 0.0.0.0:8080 as written, inside
# a network namespace of its own (unshare: the port is free there whatever else runs on
# this machine). Then, as ODK Collect and a supervisor would: sokha (HTTP Digest, curl)
# sees the form in formList and sends a SYNTHETIC submission (201), dara does not see it
# in the JSON API, lan (supervisor) does; the form list names http://LAPTOP_ADDRESS:8080
# as the README's --base-url says.
source "$(dirname "$0")/lib.sh"
for tool in script unshare ip curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (util-linux, iproute2, curl)"
done
ROOT=$PWD

# The README's lines, from the form's publication to serve (one command a line).
awk '/^\$B form publish --db survey.db /{on=1} on && /^\$B /{print} on && /^\$B serve --db survey.db /{exit}' \
  README.md >"$TMP/lines"
grep -q '^\$B form publish' "$TMP/lines" || fail "README.md has no \$B form publish line"
grep -q '^\$B serve --db survey.db' "$TMP/lines" || fail "README.md has no \$B serve line"
[ "$(grep -c '^\$B users add .*--role interviewer' "$TMP/lines")" -ge 2 ] ||
  fail "README.md adds fewer than two interviewer accounts before serve"
grep -v '^\$B serve ' "$TMP/lines" >"$TMP/setup"
grep '^\$B serve ' "$TMP/lines" >"$TMP/serve"
echo "README lines run:"; cat "$TMP/lines"

mkdir "$TMP/fresh"
ln -s "$ROOT/examples" "$TMP/fresh/examples"
cat >"$TMP/inside.sh" <<'EOF'
# Runs inside the network namespace, in the fresh folder. $1: the setup lines, $2: serve.
set -euo pipefail
ip link set lo up
export B="$NGOSURVEY"
password_of() { echo "$1-secret-$1"; }
while IFS= read -r line; do
  if [[ "$line" == '$B users add'* ]]; then
    # Asks a password on the terminal, twice: answered through a pseudo-terminal.
    name=$(awk '{print $6}' <<<"$line")
    pw=$(password_of "$name")
    printf '%s\n' "$line" >"users-$name.sh"
    (sleep 1; printf '%s\n' "$pw"; sleep 1; printf '%s\n' "$pw") |
      script -qec "bash users-$name.sh" /dev/null >"users-$name.out" 2>&1 ||
      { cat "users-$name.out"; echo "FAIL: $line"; exit 1; }
  else
    eval "$line" >/dev/null
  fi
done <"$1"
eval "exec $(cat "$2")" >serve.out 2>serve.err &
server=$!
for _ in $(seq 200); do grep -q '^serving' serve.out 2>/dev/null && break; sleep 0.1; done
grep -q '^serving http://LAPTOP_ADDRESS:8080 ' serve.out || {
  cat serve.out serve.err; echo "FAIL: serve did not start as the README says"; exit 1; }
get() {  # get USER PATH: HTTP Digest as ODK Collect, body on stdout, status on fd 3
  curl -sS --digest -u "$1:$(password_of "$1")" -H 'X-OpenRosa-Version: 1.0' \
    -o /dev/stdout -w '%{http_code}' "http://127.0.0.1:8080$2"
}
list=$(get sokha /formList)
[[ "$list" == *'<formID>ngo_profile</formID>'* && "$list" == *200 ]] ||
  { echo "FAIL: sokha's formList: $list"; exit 1; }
[[ "$list" == *'<downloadUrl>http://LAPTOP_ADDRESS:8080/forms/ngo_profile/form.xml</downloadUrl>'* ]] ||
  { echo "FAIL: formList's downloadUrl is not the README's --base-url: $list"; exit 1; }
version=$(sed -n 's|.*<version>\([^<]*\)</version>.*|\1|p' <<<"$list" | head -1)
iid="uuid:$(cat /proc/sys/kernel/random/uuid)"
# A whole interview, as ODK Collect sends one (the server checks it against the form).
printf '<?xml version="1.0"?><data id="ngo_profile" version="%s">%s<meta><instanceID>%s</instanceID></meta></data>' \
  "$version" '<organisation><org_name>Synthetic NGO</org_name><year_founded>2004</year_founded><org_type>local_ngo</org_type><org_type_other/></organisation><location><province>siem_reap</province><district>puok</district></location><staff><staff_paid>12</staff_paid><staff_volunteer>3</staff_volunteer><staff_total>15</staff_total><staff_note/></staff><programme_count>1</programme_count><programme><programme_name>Shelter</programme_name><sector>health rights</sector><programme_budget>2500</programme_budget></programme><total_budget>2500</total_budget><has_website>no</has_website><website/><thanks/>' \
  "$iid" >submission.xml
status=$(curl -sS --digest -u "sokha:$(password_of sokha)" -H 'X-OpenRosa-Version: 1.0' \
  -F "xml_submission_file=@submission.xml;type=text/xml" -o post.out -w '%{http_code}' \
  http://127.0.0.1:8080/submission)
[ "$status" = 201 ] || { cat post.out; echo "FAIL: sokha's submission: $status"; exit 1; }
seen_by() { get "$1" /api/v1/forms/ngo_profile/submissions; }
by_dara=$(seen_by dara)
[[ "$by_dara" == *200 && "$by_dara" != *"$iid"* ]] ||
  { echo "FAIL: dara (the other interviewer) sees sokha's submission: $by_dara"; exit 1; }
by_lan=$(seen_by lan)
[[ "$by_lan" == *200 && "$by_lan" == *"$iid"* && "$by_lan" == *'"submitted_by":"sokha"'* ]] ||
  { echo "FAIL: lan (supervisor) does not see sokha's submission: $by_lan"; exit 1; }
kill -TERM "$server"
wait "$server" || { cat serve.err; echo "FAIL: serve did not stop cleanly"; exit 1; }
echo "PASS inside: formList, 201, hidden from dara, seen by lan"
EOF
cd "$TMP/fresh"
if [ "$(id -u)" -eq 0 ]; then ns=(unshare --net); else ns=(unshare --map-root-user --net); fi
expect_status 0 "${ns[@]}" bash "$TMP/inside.sh" "$TMP/setup" "$TMP/serve"
cat "$TMP/stdout"
expect_contains "$TMP/stdout" "PASS inside"
echo "PASS: the README's serve lines, verbatim"
