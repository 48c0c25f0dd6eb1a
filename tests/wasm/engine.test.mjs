// The WebAssembly engine answers exactly as the native one. run.sh writes, for each
// case, the form's JSON model (`ngosurvey form model`) and the native transcript
// (ngosurvey_transcript: the workbook read natively, every request and response of a
// whole interview); this test loads the model into the wasm engine, replays every
// request and requires the same response text: the same questions, labels, messages
// and changes to save. Environment: ENGINE_MODULE (build/.../ngosurvey-engine.mjs),
// CASES_DIR (NAME.json + NAME.LANG.jsonl files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEngine } from '../../web/engine/engine.mjs';

const modulePath = process.env.ENGINE_MODULE;
const casesDir = process.env.CASES_DIR;
assert.ok(modulePath && casesDir, 'ENGINE_MODULE and CASES_DIR must be set (run.sh does)');

const transcripts = readdirSync(casesDir).filter((f) => f.endsWith('.jsonl')).sort();
assert.ok(transcripts.length >= 6, `expected at least 6 transcripts, found ${transcripts.length}`);

for (const file of transcripts) {
  test(`wasm engine replays ${file} as the native engine ran it`, async () => {
    const [formName] = file.split('.');
    const lines = readFileSync(join(casesDir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const engine = await loadEngine(pathToFileURL(modulePath).href, {
      wasmBinary: readFileSync(modulePath.replace(/\.mjs$/, '.wasm')),
    });
    const model = readFileSync(join(casesDir, `${formName}.json`), 'utf8');
    assert.equal(engine.loadFormText(model), lines[0].load_form, 'the form loads the same');

    const codes = new Set();
    let changes = 0;
    for (let i = 1; i < lines.length; i++) {
      const { request, response } = lines[i];
      const got = engine.requestText(request);
      if (got !== response) {
        assert.deepEqual(JSON.parse(got), JSON.parse(response), `line ${i + 1}: ${request}`);
        assert.equal(got, response, `line ${i + 1}: ${request} (same JSON, other text)`);
      }
      const parsed = JSON.parse(response);
      if (parsed.error) codes.add(parsed.error.code);
      changes += (parsed.changes || []).length;
    }
    // The transcript is a whole interview with the engine's and the form's messages,
    // not a few screens.
    const answersOf = (op) => lines.slice(1).filter((l) => JSON.parse(l.request).op === op)
      .map((l) => JSON.parse(l.response));
    const last = answersOf('answers').at(-1);
    const completed = answersOf('complete').at(-1);
    assert.equal(completed.complete, true, 'the interview completed');
    // The submission the browser sends, written by the wasm engine as natively (the
    // transcript writer read it back through form/odk_instance).
    assert.match(answersOf('instance_xml').at(-1).xml, /<instanceID>uuid:[0-9a-f-]{36}<\/instanceID>/);
    assert.ok(Object.keys(last.answers).length >= 10, 'answers were saved');
    assert.ok(changes >= 10, 'changes were handed out to save');
    for (const code of ['IV001', 'IV002', 'IV004']) {
      assert.ok(codes.has(code), `the transcript shows ${code} messages (it has ${[...codes]})`);
    }
  });
}
