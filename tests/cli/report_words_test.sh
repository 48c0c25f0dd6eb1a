#!/usr/bin/env bash
# The tool's own words in the language asked for (issue 17, item 6): `report --lang`,
# `tabulate --lang` and `export --lang` print no English word of the catalogue
# (src/base/words.cpp, read here, not copied) where it has a Khmer or Vietnamese one; and
# the English outputs are byte for byte what they were before the catalogue held them.
source "$(dirname "$0")/lib.sh"
H=examples/household
DATA=(--form $H/instrument.xlsx --data $H/synthetic/households_SYNTHETIC.csv
      --repeat members=$H/synthetic/households_SYNTHETIC-members.csv --no-cache)

# English, unchanged: the reports of the reference study and of the household example,
# and the household's tables (SHA-256 of the outputs of b80e736, before the catalogue;
# a deliberate change of an English word updates them here; the network legend's layout
# by text width, then the legend as the figure's HTML caption, changed the reference report.html, and its style both reports).
expect_status 0 "$NGOSURVEY" report study/ -o "$TMP/ref"
expect_status 0 "$NGOSURVEY" report $H -o "$TMP/hh"
expect_status 0 "$NGOSURVEY" tabulate --spec $H/tables.toml "${DATA[@]}" --format md -o "$TMP/hh.md"
expect_status 0 "$NGOSURVEY" tabulate --spec $H/tables.toml "${DATA[@]}" --format html -o "$TMP/hh.html"
same() {  # same FILE SHA256
  local got
  got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || fail "$1 changed in English (sha256 $got): the English output must stay as it was"
}
same "$TMP/ref/report.html" 9a7eb46048cdf81ecb99fd73083d04ad6ea8ffe2947321fa2b7780d784dcc904
same "$TMP/ref/report.md" 49dbc2b72adbbb6047e9f15e9f13a6c896968d5f446c78059d08ae4c19ba515c
same "$TMP/hh/report.html" c6460d27baa3ad250ad193cf51a6fc893a8c50a2d12c23867a2db1da65288107
same "$TMP/hh/report.md" 242f0d2ea13c869ace0b191779e97ab9c89991a24a84a2445b736c5b01ac56ba
same "$TMP/hh.md" 81f99a1de85cf93ff2d0795d4c2f1019306339d3908cc329c72e6ce5b288d400
same "$TMP/hh.html" d832015054498d8fb79fcd2607e789b4c5821dbc395bc5d2359ddefaacd33234

# No English word of the catalogue where it has a translation: the page's visible text
# (HTML without tags and styles, with its title and data-label attributes), each stretch
# of an English text between its "{}" with three letters or more, as a whole word, unless
# the translation keeps it (a name: "Fisher"). The form's question names and the design's
# columns are the data's identifiers, and the study's own texts (the form's cells, the
# specs' and study.toml's strings, English where they give no translation) its words, not
# the tool's.
leaks() {  # leaks LANGUAGE FILE...
  /usr/bin/python3 - "$@" <<'PY'
import html, re, sys
lang, files = sys.argv[1], sys.argv[2:]
src = open("src/base/words.cpp", encoding="utf-8").read()
body = src[src.index("constexpr Entry kEntries[] = {"):src.index("// The table is in the order of Word")]
entries = []
for m in re.finditer(r"\{Word::k\w+,((?:\s*\"(?:[^\"\\]|\\.)*\"\s*,?)+)\}", body):
    parts, current = [], None
    for tok in re.finditer(r"\"((?:[^\"\\]|\\.)*)\"|,", m.group(1)):
        if tok.group(0) == ",":
            if current is not None: parts.append(current); current = None
        else:
            text = tok.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            current = (current or "") + text
    if current is not None: parts.append(current)
    entries.append(parts)  # key, en, km, vi
assert len(entries) > 250, len(entries)
col = {"km": 2, "vi": 3}[lang]
import csv, glob, tomllib
names = [row["name"] for row in csv.DictReader(open("examples/household/instrument/survey.csv", encoding="utf-8")) if row["name"]]
with open("examples/household/study.toml", "rb") as f:
    names += [v for v in tomllib.load(f).get("design", {}).values() if isinstance(v, str)]
own = set()
for path in glob.glob("examples/household/instrument/*.csv"):
    for row in csv.reader(open(path, encoding="utf-8")):
        own.update(cell for cell in row if len(cell) >= 3)
def strings(node):
    if isinstance(node, str): yield node
    elif isinstance(node, dict):
        for v in node.values(): yield from strings(v)
    elif isinstance(node, list):
        for v in node: yield from strings(v)
for path in ("examples/household/study.toml", "examples/household/tables.toml"):
    with open(path, "rb") as f:
        own.update(s for s in strings(tomllib.load(f)) if len(s) >= 3)
own = sorted(own, key=len, reverse=True)
def visible(page):
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    attrs = " ".join(re.findall(r'\s(?:title|data-label|aria-label)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]*>", "\n", page) + "\n" + attrs)
bad = 0
for f in files:
    text = visible(open(f, encoding="utf-8").read())
    for s in own:
        text = text.replace(s, "#")
    for name in names:
        text = re.sub(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])", "#", text)
    for key, en, *tr in entries:
        if tr[col - 2] == en: continue
        for part in en.split("{}"):
            part = re.sub(r"^[^A-Za-z]+|[^A-Za-z)]+$", "", part)
            if sum(c.isascii() and c.isalpha() for c in part) < 3: continue
            if part in tr[col - 2]: continue  # a name the translation keeps
            if re.search(r"(?<![A-Za-z0-9_])" + re.escape(part) + r"(?![A-Za-z0-9_])", text):
                print(f"{f}: English of {key}: {part!r}"); bad += 1
sys.exit(1 if bad else 0)
PY
}
for lang in vi km; do
  expect_status 0 "$NGOSURVEY" report $H -o "$TMP/hh-$lang" --lang $lang
  expect_status 0 "$NGOSURVEY" tabulate --spec $H/tables.toml "${DATA[@]}" --lang $lang --format md -o "$TMP/t-$lang.md"
  expect_status 0 "$NGOSURVEY" tabulate --spec $H/tables.toml "${DATA[@]}" --lang $lang --format html -o "$TMP/t-$lang.html"
  # The quick form: its title is the tool's too.
  expect_status 0 "$NGOSURVEY" tabulate "${DATA[@]}" --by province --items head_sex,hh_size,m_sex --lang $lang --format md -o "$TMP/q-$lang.md"
  leaks $lang "$TMP/hh-$lang/report.html" "$TMP/hh-$lang/report.md" "$TMP/t-$lang.md" "$TMP/t-$lang.html" "$TMP/q-$lang.md" ||
    fail "English words of the catalogue under --lang $lang (above)"
  grep -q SYNTHETIC "$TMP/hh-$lang/report.html" || fail "the $lang report does not say SYNTHETIC"
done
# The specs' own Vietnamese titles, and the words themselves.
expect_contains "$TMP/t-vi.md" "Bảng H2. Các nguồn thu nhập"
expect_contains "$TMP/hh-vi/report.html" "Không trả lời"
expect_contains "$TMP/hh-km/report.md" "ការមិនឆ្លើយ"
echo "report_words_test: ok"
