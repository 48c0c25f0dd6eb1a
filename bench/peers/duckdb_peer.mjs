// DuckDB peer of bench/peers/run.sh: node duckdb_peer.mjs DATA.csv CANON.csv
// Load: read_csv with the columns' types into an in-memory table, select_multiple
// answers turned into a bit mask per respondent (what ngosurvey's load does), refused
// (99) kept as a code. Compute: one scan grouped by grp with histogram() of every
// select item (faster than a filtered count per option: 890 aggregates took DuckDB
// seconds to plan) and count and avg of every decimal; then the count, base
// (answered) and percent of every option cell from the histograms. Prints "load_s X" and "compute_s Y"; writes the canonical
// counts (item,option,group,count,base,mean) outside the timed sections.
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [data, canonPath] = process.argv.slice(2);
const S = Array.from({ length: 100 }, (_, i) => `s${i}`);
const M = Array.from({ length: 30 }, (_, i) => `m${i}`);
const X = Array.from({ length: 10 }, (_, i) => `x${i}`);
const OPTS = ['a', 'b', 'c', 'd', 'e'];

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();

const types = [`'grp': 'VARCHAR'`, ...S.map(s => `'${s}': 'UTINYINT'`),
  ...M.map(m => `'${m}': 'VARCHAR'`), ...X.map(x => `'${x}': 'DOUBLE'`)].join(', ');
const mask = m => `CASE WHEN ${m} IS NULL THEN NULL ELSE (` +
  OPTS.map((o, j) => `(contains(${m}, '${o}')::UTINYINT << ${j})`).join(' | ') + `)::UTINYINT END AS ${m}`;
let t0 = performance.now();
await db.run(`CREATE TABLE d AS SELECT grp, ${S.join(', ')}, ${M.map(mask).join(', ')}, ${X.join(', ')}
  FROM read_csv('${data}', header = true, auto_detect = false, columns = {${types}})`);
const load = (performance.now() - t0) / 1000;

t0 = performance.now();
// histogram(): per group, the map code -> respondents of each item (option codes
// and refused for select_one, bit patterns for select_multiple; NULL left out).
const aggs = [...S.map(s => `histogram(${s})`), ...M.map(m => `histogram(${m})`),
  ...X.flatMap(x => [`count(${x})`, `avg(${x})`])];
const reader = await db.runAndReadAll(`SELECT grp, ${aggs.join(', ')} FROM d GROUP BY grp ORDER BY grp`);
const rows = reader.getRowsJS();
const counts = map => {
  const out = new Map();
  for (const { key, value } of map) out.set(Number(key), Number(value));
  return out;
};
// Count, base (answered) and percent of every option cell.
const cells = [];
for (const row of rows) {
  let c = 1;
  for (const s of S) {
    const h = counts(row[c++]);
    let base = 0;
    for (let k = 1; k <= 6; ++k) base += h.get(k) ?? 0;
    for (let k = 1; k <= 6; ++k) {
      const n = h.get(k) ?? 0;
      cells.push([s, String(k), row[0], n, base, 100 * n / base]);
    }
  }
  for (const m of M) {
    const h = counts(row[c++]);
    const n = [0, 0, 0, 0, 0];
    let base = 0;
    for (const [pattern, count] of h) {
      base += count;
      for (let j = 0; j < 5; ++j) if (pattern & (1 << j)) n[j] += count;
    }
    for (let j = 0; j < 5; ++j) cells.push([m, OPTS[j], row[0], n[j], base, 100 * n[j] / base]);
  }
  for (const x of X) {
    cells.push([x, 'mean', row[0], Number(row[c]), '', row[c + 1]]);
    c += 2;
  }
}
const compute = (performance.now() - t0) / 1000;
console.log(`load_s ${load.toFixed(4)}`);
console.log(`compute_s ${compute.toFixed(4)}`);
const lines = ['item,option,group,count,base,mean'];
for (const [item, option, group, count, base, value] of cells) {
  lines.push(`${item},${option},${group},${count},${base},${option === 'mean' ? value.toPrecision(15) : ''}`);
}
writeFileSync(canonPath, lines.join('\n') + '\n');
