#!/usr/bin/env bash
# ngosurvey network (issue 18, step 6): the coordination network of SYNTHETIC test data
# (tests/data/network), measures worked out by hand: per country and overall, in the
# public CSV layout scope,node,measure,value; non-respondents of the frame appear with
# in-ties only; GraphML that a reader parses; an SVG picture; bad specs refused at their line.
source "$(dirname "$0")/lib.sh"
D=tests/data/network
DB=$TMP/store.db
/usr/bin/python3 tools/xlsform-from-csv $D "$TMP/form.xlsx" >/dev/null
expect_status 0 "$NGOSURVEY" import --db "$DB" --form "$TMP/form.xlsx" $D/main.csv

expect_status 0 "$NGOSURVEY" network --db "$DB" --spec $D/spec.toml
cp "$TMP/stdout" "$TMP/net.csv"
[ "$(head -1 "$TMP/net.csv")" = "scope,node,measure,value" ] || fail "CSV header"
row() {  # row SCOPE NODE MEASURE VALUE: the CSV has exactly this row
  grep -qxF -- "$1,$2,$3,$4" "$TMP/net.csv" || { cat "$TMP/net.csv"; fail "no row $1,$2,$3,$4"; }
}
# Overall: 10 organisations (7 of the frame, 3 agencies), 14 ties; A1<->A2 and B1<->B2 are
# reciprocated (4 of 14 ties); one weak component; 8 NGO-NGO and 6 NGO-government ties.
row overall "" density 0.15555555555555556
row overall "" reciprocity 0.2857142857142857
row overall "" weak_components 1
row overall "" ties_ngo_ngo 8
row overall "" ties_ngo_government 6
# A4 did not respond: it appears, with the tie A1 sent it and no out-ties.
row overall A4 in_degree 1
row overall A4 out_degree 0
row overall B3 in_degree 1
row overall police in_degree 3
row overall A3 out_degree 2
# "other" names no organisation: A3's ties are A1 and B1 only.
grep -q ',other,' "$TMP/net.csv" && fail "'other' became a node"
# Cambodia: A1-A4, the agencies they named and B1 (named by A3): 7 nodes, 8 ties.
row KH "" density 0.19047619047619047
row KH "" ties_ngo_ngo 5
row KH "" ties_ngo_government 3
row VN "" ties_ngo_ngo 3
row VN "" ties_ngo_government 3
# Scopes in order: countries sorted, then overall; nodes sorted by id within each.
[ "$(cut -d, -f1 "$TMP/net.csv" | tail -n +2 | uniq | tr '\n' ' ')" = "KH VN overall " ] ||
  fail "scope order: $(cut -d, -f1 "$TMP/net.csv" | uniq | tr '\n' ' ')"
# Betweenness, density and reciprocity as networkx computes them on the same ties
# (betweenness normalised for directed graphs by (n-1)(n-2), as igraph's R interface does).
/usr/bin/python3 - "$TMP/net.csv" <<'PY'
import csv, sys, math
rows = {(r["scope"], r["node"], r["measure"]): r["value"] for r in csv.DictReader(open(sys.argv[1]))}
import networkx as nx
g = nx.DiGraph()
g.add_nodes_from(["A1","A2","A3","A4","B1","B2","B3","police","moi","mass_media"])
g.add_edges_from([("A1","A2"),("A1","A4"),("A1","police"),("A2","A1"),("A2","police"),("A2","moi"),
  ("A3","A1"),("A3","B1"),("B1","B2"),("B1","mass_media"),("B2","B1"),("B2","B3"),
  ("B2","mass_media"),("B2","police")])
for node, value in nx.betweenness_centrality(g, normalized=True).items():
    got = float(rows[("overall", node, "betweenness")])
    assert math.isclose(got, value, rel_tol=1e-12, abs_tol=1e-15), (node, got, value)
assert math.isclose(float(rows[("overall", "", "density")]), nx.density(g))
assert math.isclose(float(rows[("overall", "", "reciprocity")]), nx.overall_reciprocity(g))
PY

# Markdown names the non-respondents; -o writes the file.
expect_status 0 "$NGOSURVEY" network --db "$DB" --spec $D/spec.toml --format md -o "$TMP/net.md"
expect_contains "$TMP/net.md" "| A4 | NGO A4 | ngo | did not respond (in-ties only) | 1 | 0 |"
expect_contains "$TMP/net.md" "| police | Police | government | named by respondents | 3 | 0 |"
# --lang: the tool's words in Vietnamese; the organisations' names and kinds as written.
expect_status 0 "$NGOSURVEY" network --db "$DB" --spec $D/spec.toml --format md --lang vi -o "$TMP/net-vi.md"
expect_contains "$TMP/net-vi.md" "| A4 | NGO A4 | ngo | không trả lời (chỉ có liên kết đến) | 1 | 0 |"
expect_contains "$TMP/net-vi.md" "| Tổ chức | Tên | Loại | Trạng thái | Bậc vào | Bậc ra |"
! grep -q "organisations\|did not respond" "$TMP/net-vi.md" || fail "English words in the Vietnamese network"

# GraphML: read back by networkx with the same nodes, ties and attributes.
expect_status 0 "$NGOSURVEY" network --db "$DB" --spec $D/spec.toml --format graphml -o "$TMP/net.graphml"
/usr/bin/python3 - "$TMP/net.graphml" <<'PY'
import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
assert g.is_directed() and g.number_of_nodes() == 10 and g.number_of_edges() == 14, g
assert g.nodes["A4"]["responded"] is False and g.nodes["A4"]["in_frame"] is True
assert g.nodes["police"]["kind"] == "government" and g.nodes["police"]["label"] == "Police"
assert g.edges["A3", "B1"]["kind"] == "ngo"
PY

# SVG: well-formed, one mark per organisation, the non-respondents hollow (dashed).
expect_status 0 "$NGOSURVEY" network --db "$DB" --spec $D/spec.toml --format svg -o "$TMP/net.svg"
/usr/bin/python3 - "$TMP/net.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
marks = [e for e in root.iter() if e.tag.endswith("}circle") or e.tag.endswith("}rect")]
titled = [e for e in marks if e.find("s:title", ns) is not None]
assert len(titled) == 10, len(titled)
dashed = [e for e in titled if e.get("stroke-dasharray")]
assert sorted(e.find("s:title", ns).text.split(" ")[0] for e in dashed) == ["A4", "B3"]
assert len([e for e in root.iter() if e.tag.endswith("}line")]) == 14
PY
# The same network gives the same picture.
expect_status 0 "$NGOSURVEY" network --db "$DB" --spec $D/spec.toml --format svg -o "$TMP/net2.svg"
cmp -s "$TMP/net.svg" "$TMP/net2.svg" || fail "the layout is not reproducible"

# Bad specs: refused with the place; nothing written.
printf 'source = "org_id"\nframe = "frame.csv"\n[[ties]]\nquestion = "remarks"\nkind = "ngo"\n' >"$TMP/text.toml"
cp $D/frame.csv "$TMP/frame.csv"
expect_status 1 "$NGOSURVEY" network --db "$DB" --spec "$TMP/text.toml" -o "$TMP/never.csv"
expect_contains "$TMP/stderr" "NET003"
expect_contains "$TMP/stderr" "text.toml:3"
[ ! -e "$TMP/never.csv" ] || fail "a refused spec wrote output"
printf 'source = "org_id"\n[[ties]]\nquestion = "nope"\nkind = "ngo"\n' >"$TMP/unknown.toml"
expect_status 1 "$NGOSURVEY" network --db "$DB" --spec "$TMP/unknown.toml"
expect_contains "$TMP/stderr" "NET002"
printf 'source = "org_id"\nfrme = "x"\n[[ties]]\nquestion = "partner_ngos"\nkind = "ngo"\n' >"$TMP/typo.toml"
expect_status 1 "$NGOSURVEY" network --db "$DB" --spec "$TMP/typo.toml"
expect_contains "$TMP/stderr" "unknown key 'frme'"
expect_contains "$TMP/stderr" "typo.toml:2"
# A question whose choices are not organisations of the frame (country: KH, VN).
printf 'source = "org_id"\nframe = "frame.csv"\n[[ties]]\nquestion = "country"\nkind = "ngo"\n' >"$TMP/country.toml"
expect_status 1 "$NGOSURVEY" network --db "$DB" --spec "$TMP/country.toml"
expect_contains "$TMP/stderr" "NET004"
expect_contains "$TMP/stderr" "choice 'KH' of list 'country'"
echo "network: ok"
