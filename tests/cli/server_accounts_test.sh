# The collection server's commands end to end (issue 15, step 2): `form publish`
# (a new version, the same file again a no-op, a changed file under the same
# version refused, media from FORM-media/) and `users add|list|disable|passwd`
# (passwords from standard input, or from the terminal: without one, an error).
source "$(dirname "$0")/lib.sh"
DB=$TMP/server.db

# --- form publish ---
expect_status 0 "$NGOSURVEY" form publish --db "$DB" examples/ngo_profile.xlsx
expect_contains "$TMP/stdout" "published: form ngo_profile version 2026112501 (NGO profile), 0 media files"
expect_status 0 "$NGOSURVEY" form publish --db "$DB" examples/ngo_profile.xlsx
expect_contains "$TMP/stdout" "unchanged: form ngo_profile version 2026112501 is already published"

# A form with a picture (SYNTHETIC test form): published with its media file when
# FORM-media/ has it, with a warning when it does not.
mkdir -p "$TMP/src"
cat >"$TMP/src/survey.csv" <<'CSV'
type,name,label,media::image
note,intro,Welcome,logo.png
text,org_name,Organisation name,
CSV
printf 'type,list_name,name,label\n' >"$TMP/src/choices.csv"
printf 'form_id,version,form_title\nmedia_demo,1,Media demo\n' >"$TMP/src/settings.csv"
/usr/bin/python3 tools/xlsform-from-csv "$TMP/src" "$TMP/media_demo.xlsx"
expect_status 0 "$NGOSURVEY" form publish --db "$DB" "$TMP/media_demo.xlsx"
expect_contains "$TMP/stderr" 'refers to media file "logo.png", which is not in its -media folder'
expect_contains "$TMP/stdout" "published: form media_demo version 1 (Media demo), 0 media files"

printf 'version,form_id,form_title\n2,media_demo,Media demo\n' >"$TMP/src/settings.csv"
/usr/bin/python3 tools/xlsform-from-csv "$TMP/src" "$TMP/media_demo.xlsx"
mkdir -p "$TMP/media_demo-media"
printf '\x89PNG synthetic' >"$TMP/media_demo-media/logo.png"
expect_status 0 "$NGOSURVEY" form publish --db "$DB" "$TMP/media_demo.xlsx"
expect_contains "$TMP/stdout" "published: form media_demo version 2 (Media demo), 1 media file"
[ ! -s "$TMP/stderr" ] || { cat "$TMP/stderr"; fail "warnings for a complete media folder"; }

# Changed questions under a published version: refused, nothing changes.
sed -i 's/Organisation name/Name of the organisation/' "$TMP/src/survey.csv"
/usr/bin/python3 tools/xlsform-from-csv "$TMP/src" "$TMP/media_demo.xlsx"
expect_status 1 "$NGOSURVEY" form publish --db "$DB" "$TMP/media_demo.xlsx"
expect_contains "$TMP/stderr" "ST003"
expect_contains "$TMP/stderr" 'form "media_demo" version 2 is already stored with different contents'

# A form with errors is not published.
printf 'type,name,label\nselect_one nolist,q,Q\n' >"$TMP/src/survey.csv"
/usr/bin/python3 tools/xlsform-from-csv "$TMP/src" "$TMP/bad.xlsx"
expect_status 1 "$NGOSURVEY" form publish --db "$DB" "$TMP/bad.xlsx"
expect_contains "$TMP/stderr" "SV003"

# --- users ---
printf 'sokha-secret-1\n' >"$TMP/pw"
expect_status 0 "$NGOSURVEY" users add --db "$DB" sokha --role interviewer --forms ngo_profile \
  --password-stdin <"$TMP/pw"
expect_contains "$TMP/stdout" "added interviewer sokha (forms: ngo_profile)"
expect_status 0 "$NGOSURVEY" users add --db "$DB" lan --role supervisor --password-stdin <"$TMP/pw"
expect_contains "$TMP/stdout" "added supervisor lan (every form)"
expect_status 1 "$NGOSURVEY" users add --db "$DB" sokha --role admin --password-stdin <"$TMP/pw"
expect_contains "$TMP/stderr" "user sokha already exists"
expect_status 2 "$NGOSURVEY" users add --db "$DB" dara --role root --password-stdin <"$TMP/pw"
printf 'short\n' | expect_status 1 "$NGOSURVEY" users add --db "$DB" dara --role analyst \
  --password-stdin
expect_contains "$TMP/stderr" "SV001"
expect_status 1 "$NGOSURVEY" users add --db "$DB" "da ra" --role analyst --password-stdin <"$TMP/pw"
expect_contains "$TMP/stderr" "ST001"
# Without --password-stdin the password comes from the terminal only: none here.
expect_status 1 setsid -w "$NGOSURVEY" users add --db "$DB" dara --role analyst </dev/null
expect_contains "$TMP/stderr" "use --password-stdin"

expect_status 0 "$NGOSURVEY" users list --db "$DB"
expect_contains "$TMP/stdout" "lan  supervisor  every form  active  realm ngosurvey"
expect_contains "$TMP/stdout" "sokha  interviewer  forms ngo_profile  active  realm ngosurvey"
expect_contains "$TMP/stdout" "2 users"
grep -q 'argon2\|sokha-secret' "$TMP/stdout" && fail "users list shows a secret"

expect_status 0 "$NGOSURVEY" users disable --db "$DB" sokha
expect_status 0 "$NGOSURVEY" users list --db "$DB"
expect_contains "$TMP/stdout" "sokha  interviewer  forms ngo_profile  disabled"
printf 'another-secret\n' | expect_status 0 "$NGOSURVEY" users passwd --db "$DB" lan \
  --password-stdin --realm field
expect_contains "$TMP/stdout" "password changed for lan"
expect_status 0 "$NGOSURVEY" users list --db "$DB"
expect_contains "$TMP/stdout" "lan  supervisor  every form  active  realm field"
expect_status 1 "$NGOSURVEY" users disable --db "$DB" nobody
expect_contains "$TMP/stderr" "user nobody not found"
expect_status 3 "$NGOSURVEY" users list --db "$TMP/missing.db"
echo "server accounts test: ok"
