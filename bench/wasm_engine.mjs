// Times the WebAssembly interview engine under Node (bench/wasm_engine.sh runs it):
//   instantiate   the engine module (compile + instantiate the .wasm bytes, from memory)
//   load+first    loadForm (JSON model -> Form -> compiled) + start: the first
//                 question's screen is in the answer
//   total         instantiate + load+first: a cold start in a fresh tab
//   answer        one set + next on each screen of a whole interview (every question
//                 answered, Khmer), i.e. the work behind one "Next" click
// Medians (and p90 for answers) over RUNS fresh engines. usage:
//   node bench/wasm_engine.mjs ENGINE.mjs FORM.json [RUNS]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadEngine } from '../web/engine/engine.mjs';

const [modulePath, formPath, runsText] = process.argv.slice(2);
const runs = Number(runsText || 10);
const wasmBinary = readFileSync(modulePath.replace(/\.mjs$/, '.wasm'));
const model = readFileSync(formPath, 'utf8');
const url = pathToFileURL(modulePath).href;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

const inst = [], load = [], total = [], answers = [];
let screens = 0;
for (let run = 0; run < runs; run++) {
  const t0 = performance.now();
  const engine = await loadEngine(url, { wasmBinary });
  const t1 = performance.now();
  const form = engine.loadForm(model);
  let r = engine.request({ op: 'start', form: form.form, language: 'km', seed: 1 });
  const t2 = performance.now();
  if (!r.ok || r.screen.kind !== 'questions') throw new Error('no first question: ' + JSON.stringify(r).slice(0, 300));
  inst.push(t1 - t0); load.push(t2 - t1); total.push(t2 - t0);
  const id = r.interview;
  screens = 0;
  while (r.screen.kind !== 'end') {
    const p = r.screen.prompts[0];
    const value = p.type === 'integer' ? '7' : p.choices.length ? p.choices[0].name : 'text';
    const a = performance.now();
    const s = engine.request({ op: 'set', interview: id, prompt: 0, value });
    r = engine.request({ op: 'next', interview: id });
    answers.push(performance.now() - a);
    if (!s.ok || !r.ok) throw new Error('refused: ' + JSON.stringify(s.ok ? r.error : s.error));
    screens++;
  }
}
const f = (x) => x.toFixed(2);
console.log(`form: ${formPath} (${(model.length / 1024).toFixed(0)} KiB of JSON), ${screens} screens answered per run, ${runs} runs`);
console.log(`engine: ${(wasmBinary.length / 1024).toFixed(0)} KiB wasm`);
console.log(`instantiate  median ${f(median(inst))} ms`);
console.log(`load+first   median ${f(median(load))} ms`);
console.log(`total        median ${f(median(total))} ms`);
console.log(`answer       median ${f(median(answers))} ms, p90 ${f(pct(answers, 0.9))} ms (${answers.length} answers)`);
