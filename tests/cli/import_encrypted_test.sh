#!/usr/bin/env bash
# Encrypted ODK forms (issue 20): `keys generate` writes a passphrase-protected PKCS#8 key
# pair and prints the public_key; `form xform` puts it on the submission element;
# submissions encrypted by an independent encryptor written from ODK's specification
# (tests/odk/odk_encrypt.py, python3-cryptography) in ODK Collect's layout and Briefcase's,
# in both manifest namespaces, decrypt with `import --private-key`, photos included; the
# encryptor's own checker reads ngosurvey's key and its envelopes (both ways). A wrong key,
# a wrong passphrase, a tampered signature, a tampered or truncated .enc and a missing key
# are refused naming the manifest, and nothing is stored. The data are SYNTHETIC.
source "$(dirname "$0")/lib.sh"
D=tests/data/odk
ENC=tests/odk/odk_encrypt.py
DB=$TMP/store.db
store_sum() { sha256sum "$DB" | cut -d' ' -f1; }

printf 'correct horse battery staple\n' >"$TMP/pass"
expect_status 0 "$NGOSURVEY" keys generate -o "$TMP/keys" --passphrase-file "$TMP/pass"
PUBLIC_KEY=$(cat "$TMP/stdout")
expect_contains "$TMP/keys/private.pem" "BEGIN ENCRYPTED PRIVATE KEY"
expect_contains "$TMP/keys/public.pem" "BEGIN PUBLIC KEY"
[ "$(stat -c %a "$TMP/keys/private.pem")" = 600 ] || fail "private.pem is not mode 600"
# The printed value is the public key's DER in base64, as the settings sheet wants it.
[ "$PUBLIC_KEY" = "$(grep -v -- ----- "$TMP/keys/public.pem" | tr -d '\n')" ] || fail "public_key differs from public.pem"
openssl pkey -in "$TMP/keys/private.pem" -passin file:"$TMP/pass" -noout || fail "openssl cannot read the key with its passphrase"
# Never overwritten.
expect_status 1 "$NGOSURVEY" keys generate -o "$TMP/keys" --passphrase-file "$TMP/pass"
expect_contains "$TMP/stderr" "KEY002"

# The encrypted form: the XForm's submission element carries the key.
mkdir -p "$TMP/form"
cp $D/form/survey.csv $D/form/choices.csv "$TMP/form/"
printf 'form_id,version,form_title,public_key\nodk_demo,2026120501,ODK demo (SYNTHETIC),%s\n' "$PUBLIC_KEY" >"$TMP/form/settings.csv"
/usr/bin/python3 tools/xlsform-from-csv "$TMP/form" "$TMP/form.xlsx"
"$NGOSURVEY" form xform "$TMP/form.xlsx" -o "$TMP/form.xml" 2>/dev/null
expect_contains "$TMP/form.xml" "base64RsaPublicKey=\"$PUBLIC_KEY\""

# Two submissions: one with a photo in ODK Collect's layout (the namespace Collect
# writes), one in Briefcase's (the specification's namespace, MGF1 with SHA-1 as Enketo).
plain() {  # plain ID STAFF PHOTO
  local photo="<photo/>"
  [ -n "$3" ] && photo="<photo>$3</photo>"
  printf '<?xml version="1.0"?>\n<data id="odk_demo" version="2026120501"><org_id>KH09</org_id><staff_n>%s</staff_n><has_shelter>no</has_shelter><services>legal health</services>%s<contact><phone>012</phone></contact><programs><program_name>ជំនួយ</program_name></programs><meta><instanceID>%s</instanceID></meta></data>\n' "$2" "$photo" "$1"
}
ID1=uuid:a1111111-1111-4111-8111-111111111111
ID2=uuid:b2222222-2222-4222-8222-222222222222
plain $ID1 7 1733391000000.jpg >"$TMP/s1.xml"
plain $ID2 9 "" >"$TMP/s2.xml"
printf '\xff\xd8 SYNTHETIC encrypted photo %0200d' 0 >"$TMP/1733391000000.jpg"
C=$TMP/collect/instances/odk_demo_2026-12-05_10-00-00
B=$TMP/briefcase/instances/uuidb2222222-2222-4222-8222-222222222222
/usr/bin/python3 $ENC encrypt "$TMP/keys/public.pem" "$TMP/s1.xml" "$C" "$TMP/1733391000000.jpg"
/usr/bin/python3 $ENC encrypt "$TMP/keys/public.pem" "$TMP/s2.xml" "$B" --manifest submission.xml --namespace spec --mgf1 sha1
expect_contains "$C/odk_demo_2026-12-05_10-00-00.xml" 'xmlns="http://www.opendatakit.org/xforms/encrypted"'
expect_contains "$B/submission.xml" 'xmlns="http://opendatakit.org/submissions"'
# The encryptor's own checker decrypts its envelopes with ngosurvey's key and passphrase.
/usr/bin/python3 $ENC check "$TMP/keys/private.pem" "$TMP/pass" "$C/odk_demo_2026-12-05_10-00-00.xml" || fail "checker: Collect envelope"
/usr/bin/python3 $ENC check "$TMP/keys/private.pem" "$TMP/pass" "$B/submission.xml" || fail "checker: Briefcase envelope"

# Without the key: refused, nothing stored (not even the store file).
expect_status 1 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx "$TMP/collect"
expect_contains "$TMP/stderr" "odk_demo_2026-12-05_10-00-00.xml: ODI005: an encrypted submission"
[ ! -e "$DB" ] || fail "a refused import left a store behind"

# With it: both decrypted, the photo kept.
mkdir -p "$TMP/both/instances"
cp -r "$C" "$B" "$TMP/both/instances/"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx --private-key "$TMP/keys/private.pem" --passphrase-file "$TMP/pass" "$TMP/both"
expect_contains "$TMP/stdout" "imported 2 submissions (odk xml) into form 'odk_demo' version 2026120501; 0 edits, 1 attachments, 0 already stored"
"$NGOSURVEY" submissions list --db "$DB" --format json >"$TMP/list.json"
python3 - "$TMP/list.json" $ID1 $ID2 <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
a, b = subs[sys.argv[2]]["answers"], subs[sys.argv[3]]["answers"]
assert a["staff_n"]["value"] == "7" and b["staff_n"]["value"] == "9"
assert a["services"]["value"] == "legal health"
assert a["programs[1]/program_name"]["value"] == "ជំនួយ"
assert a["photo"]["value"] == "1733391000000.jpg"
PY
mkdir -p "$TMP/out"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form odk_demo --format csv -o "$TMP/out/enc.csv"
cmp "$TMP/out/enc-media/1733391000000.jpg" "$TMP/1733391000000.jpg" || fail "decrypted photo differs"

# Refusals, each naming the manifest; the store stays as it is.
before=$(store_sum)
ID3=uuid:c3333333-3333-4333-8333-333333333333
plain $ID3 3 1733391000000.jpg >"$TMP/s3.xml"
fresh() {  # fresh NAME: a new Collect-layout envelope of s3 under $TMP/NAME/instances/x
  /usr/bin/python3 $ENC encrypt "$TMP/keys/public.pem" "$TMP/s3.xml" "$TMP/$1/instances/x" "$TMP/1733391000000.jpg" >/dev/null
  echo "$TMP/$1/instances/x"
}
run_import() { expect_status "$1" "$NGOSURVEY" import --db "$DB" --form odk_demo --private-key "$TMP/keys/private.pem" --passphrase-file "$TMP/pass" "$2"; }

# Another key.
printf 'another\n' >"$TMP/pass2"
"$NGOSURVEY" keys generate -o "$TMP/keys2" --passphrase-file "$TMP/pass2" >/dev/null 2>&1
X=$(fresh wrongkey)
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo --private-key "$TMP/keys2/private.pem" --passphrase-file "$TMP/pass2" "$TMP/wrongkey"
expect_contains "$TMP/stderr" "$X/x.xml: ODC002: base64EncryptedKey does not decrypt with this private key"
# A wrong passphrase.
printf 'wrong\n' >"$TMP/badpass"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo --private-key "$TMP/keys/private.pem" --passphrase-file "$TMP/badpass" "$TMP/wrongkey"
expect_contains "$TMP/stderr" "private.pem: ODC001: cannot read the private key"
# A tampered signature.
X=$(fresh badsig)
python3 - "$X/x.xml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"<base64EncryptedElementSignature>(.)", text)
c = "A" if m.group(1) != "A" else "B"
open(sys.argv[1], "w").write(text[:m.start(1)] + c + text[m.start(1) + 1:])
PY
run_import 1 "$TMP/badsig"
expect_contains "$TMP/stderr" "$X/x.xml: ODC004: the signature (base64EncryptedElementSignature) does not match"
# A tampered photo (one byte changed: it still decrypts, the signature catches it).
X=$(fresh badphoto)
python3 - "$X/1733391000000.jpg.enc" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[5] ^= 0x01
open(sys.argv[1], "wb").write(bytes(data))
PY
run_import 1 "$TMP/badphoto"
expect_contains "$TMP/stderr" "$X/x.xml: ODC004"
# A truncated submission.xml.enc.
X=$(fresh truncated)
truncate -s 37 "$X/submission.xml.enc"
run_import 1 "$TMP/truncated"
expect_contains "$TMP/stderr" "$X/x.xml: ODC003: encrypted file submission.xml.enc is truncated or damaged"
# A missing media file.
X=$(fresh nomedia)
rm "$X/1733391000000.jpg.enc"
run_import 1 "$TMP/nomedia"
expect_contains "$TMP/stderr" "$X/x.xml: ODC003: encrypted file 1733391000000.jpg.enc cannot be read"
# One bad submission among good ones stores none.
X=$(fresh mixed)
cp -r "$TMP/badsig/instances/x" "$TMP/mixed/instances/y"
mv "$TMP/mixed/instances/y/x.xml" "$TMP/mixed/instances/y/y.xml"
run_import 1 "$TMP/mixed"
expect_contains "$TMP/stderr" "y/y.xml: ODC004"
expect_contains "$TMP/stderr" "import refused: 1 problems; nothing was stored"
[ "$(store_sum)" = "$before" ] || fail "a refused import changed the store"
# The good one alone goes in.
rm -r "$TMP/mixed/instances/y"
run_import 0 "$TMP/mixed"
expect_contains "$TMP/stdout" "imported 1 submissions (odk xml)"
echo "ok"
