// The interview engine in the browser (and under Node): loads the WebAssembly build
// of src/form and src/interview (build/wasm/ngosurvey-engine.mjs, made by
// web/engine/build) and passes JSON text in and out. Every decision is the C++
// engine's (interview/json_engine.h lists the requests); this file only moves text
// across the boundary. docs/web.md says why it is built this way.
//
//   const engine = await loadEngine(new URL('ngosurvey-engine.mjs', base));
//   // under Node: loadEngine(url, {wasmBinary: readFileSync('.../ngosurvey-engine.wasm')})
//   const form = engine.loadForm(formJsonText);          // {ok, form, title, languages}
//   let r = engine.request({op: 'start', form: form.form, language: 'km'});
//   r = engine.request({op: 'set', interview: r.interview, prompt: 0, value: '2005'});
//   // r.ok, r.error.message (in the interview's language), r.screen, r.changes

export async function loadEngine(moduleUrl, { wasmBinary } = {}) {
  const { default: create } = await import(moduleUrl);
  const m = await create(wasmBinary ? { wasmBinary } : {});
  // Strings go through the heap (malloc), not the stack: a form model can be larger
  // than the stack.
  const call = (fn, text) => {
    const size = m.lengthBytesUTF8(text) + 1;
    const ptr = m._malloc(size);
    try {
      m.stringToUTF8(text, ptr, size);
      return m.UTF8ToString(fn(ptr));
    } finally {
      m._free(ptr);
    }
  };
  return {
    // Text in, text out (what the tests compare with the native engine's).
    loadFormText: (text) => call(m._ngo_load_form, text),
    requestText: (text) => call(m._ngo_request, text),
    loadForm: (text) => JSON.parse(call(m._ngo_load_form, text)),
    request: (obj) => JSON.parse(call(m._ngo_request, JSON.stringify(obj))),
  };
}
