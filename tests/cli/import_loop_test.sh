#!/usr/bin/env bash
# "begin loop over LIST" data (issue 14): a loop is a group per choice at load
# (form/loops.h), so Ona's export of a loop form (its loop/CHOICE/question columns, "n/a"
# for a question not asked, as kobocat's transportation fixture has them), the same as an
# XLSX export, and ODK instances with the loop's elements (filled by ODK's own engine
# from the XForm `form xform` writes, for a form without a version) import; ngosurvey's
# export writes the loop's columns and re-imports to the same answers. SYNTHETIC data.
source "$(dirname "$0")/lib.sh"
XF=tests/xform
need_odk_engine

cat >"$TMP/survey.csv" <<'CSV'
type,name,label,relevant
begin group,transport,Transport,
select_multiple modes or_other,modes,Which transport is there?,
begin loop over modes,freq_loop,Frequency,
select_one freq,frequency,How often is there a %(label)s?,"selected(${modes}, '%(name)s')"
end loop,,,
end group,,,
CSV
cat >"$TMP/choices.csv" <<'CSV'
list_name,name,label
modes,bus,bus
modes,boat,boat/canoe
modes,none,none
freq,daily,Daily
freq,weekly,Weekly
CSV
cat >"$TMP/settings.csv" <<'CSV'
form_id
transport_loop
CSV
FORM=$TMP/transport_loop.xlsx
csv_to_xlsx "$FORM" text survey="$TMP/survey.csv" choices="$TMP/choices.csv" \
  settings="$TMP/settings.csv"
expect_status 0 "$NGOSURVEY" form show "$FORM"
expect_contains "$TMP/stdout" "  + freq_loop (begin_loop modes): Frequency
    + bus (begin_group): bus
      - frequency (select_one freq): How often is there a bus?
          if selected(\${modes}, 'bus')"

# Ona's CSV export: the loop's columns by choice, "n/a" where a question was not asked.
L=transport/freq_loop
cat >"$TMP/ona.csv" <<CSV
transport/modes,transport/modes/bus,transport/modes/boat,transport/modes/other,transport/modes_other,$L/bus/frequency,$L/boat/frequency,meta/instanceID,_uuid,_submission_time
bus boat,True,True,False,n/a,daily,weekly,uuid:10000000-0000-4000-8000-000000000001,10000000-0000-4000-8000-000000000001,2013-02-14T15:37:22
boat other,False,True,True,camel,n/a,daily,uuid:10000000-0000-4000-8000-000000000002,10000000-0000-4000-8000-000000000002,2013-02-14T15:37:23
CSV
expect_status 0 "$NGOSURVEY" import --db "$TMP/a.db" --form "$FORM" "$TMP/ona.csv"
expect_contains "$TMP/stdout" "imported 2 submissions (ona layout)"
"$NGOSURVEY" submissions list --db "$TMP/a.db" --format json >"$TMP/a.json"
python3 - "$TMP/a.json" <<'PY'
import json, sys
subs = {s["instance_id"]: s["answers"] for s in json.load(open(sys.argv[1]))}
one = subs["uuid:10000000-0000-4000-8000-000000000001"]
two = subs["uuid:10000000-0000-4000-8000-000000000002"]
assert one["transport/freq_loop/bus/frequency"]["value"] == "daily", one
assert one["transport/freq_loop/boat/frequency"]["value"] == "weekly", one
assert two["transport/freq_loop/boat/frequency"]["value"] == "daily", two
assert two["transport/modes"]["value"] == "boat other", two
assert two["transport/freq_loop/bus/frequency"]["state"] == "not_asked", two
PY

# The same export as an XLSX workbook: the same store contents.
csv_to_xlsx "$TMP/ona.xlsx" text transport_loop="$TMP/ona.csv"
expect_status 0 "$NGOSURVEY" import --db "$TMP/b.db" --form "$FORM" "$TMP/ona.xlsx"
"$NGOSURVEY" export --db "$TMP/a.db" --form transport_loop --format csv -o "$TMP/a-out.csv" \
  >/dev/null 2>&1 || fail "export a"
"$NGOSURVEY" export --db "$TMP/b.db" --form transport_loop --format csv -o "$TMP/b-out.csv" \
  >/dev/null 2>&1 || fail "export b"
cmp "$TMP/a-out.csv" "$TMP/b-out.csv" || fail "the CSV and XLSX exports imported differently"
head -1 "$TMP/a-out.csv" | grep -qF "$L/bus/frequency,$L/boat/frequency,$L/other/frequency" ||
  fail "export header: $(head -1 "$TMP/a-out.csv")"

# ngosurvey's own export re-imports to the same answers.
expect_status 0 "$NGOSURVEY" import --db "$TMP/c.db" --form "$FORM" "$TMP/a-out.csv"
"$NGOSURVEY" export --db "$TMP/c.db" --form transport_loop --format csv -o "$TMP/c-out.csv" \
  >/dev/null 2>&1 || fail "export c"
cmp "$TMP/a-out.csv" "$TMP/c-out.csv" || fail "the round trip changed the export"

# ODK instances filled by ODK's engine from our XForm: the loop's elements are read.
"$NGOSURVEY" form xform "$FORM" -o "$TMP/form.xml" 2>/dev/null || fail "form xform"
grep -q 'id="transport_loop" version=' "$TMP/form.xml" && fail "a form without a version has none in its XForm"
C=$TMP/instances
mkdir -p "$C/t1"
cat >"$TMP/t1.json" <<'JSON'
{"values": {"/data/transport/modes": ["bus"],
            "/data/transport/freq_loop/bus/frequency": "weekly"}}
JSON
node $XF/fill_instance.mjs "$TMP/form.xml" "$TMP/t1.json" "$C/t1/t1.xml"
grep -q "<bus><frequency>weekly</frequency></bus>" "$C/t1/t1.xml" ||
  fail "ODK's engine did not fill the loop: $(cat "$C/t1/t1.xml")"
expect_status 0 "$NGOSURVEY" import --db "$TMP/d.db" --form "$FORM" "$C"
expect_contains "$TMP/stdout" "imported 1 submissions (odk xml)"
"$NGOSURVEY" submissions list --db "$TMP/d.db" --format json >"$TMP/d.json"
python3 - "$TMP/d.json" <<'PY'
import json, sys
(sub,) = json.load(open(sys.argv[1]))
assert sub["answers"]["transport/freq_loop/bus/frequency"]["value"] == "weekly", sub
PY
echo "ok"
