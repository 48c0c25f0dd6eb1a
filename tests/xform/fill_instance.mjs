// Fills a form in ODK's own engine (@getodk/xforms-engine, headless under Node with
// jsdom, as engine_check.mjs loads it) and writes the submission XML the engine
// serialises for it: real ODK instances for the tests of `ngosurvey import`.
//
//   node fill_instance.mjs FORM.xml ANSWERS.json OUT.xml
//
// ANSWERS.json: {"repeats": {"/data/programs": 2}, "values": {"/data/age": "42",
// "/data/topics": ["health", "legal"], "/data/programs[2]/name": "Legal aid"}}.
// Repeats are given their number of instances first; then each value is set on the
// node whose reference is the key (a string for inputs and select_one, a list for
// select_multiple). The engine computes meta/instanceID, calculations and relevance
// itself. Exit 1 (with the reason) when a node is missing or refuses a value.
import fs from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('');
for (const key of ['window', 'document', 'DOMParser', 'XMLSerializer', 'Node', 'Element',
                   'Document', 'XPathResult', 'NodeFilter', 'Text', 'Attr']) {
  globalThis[key] = dom.window[key] ?? globalThis[key];
}
globalThis.__dirname = '/';
globalThis.module = {};
const { createInstance } = await import('@getodk/xforms-engine');

const [xmlPath, answersPath, outPath] = process.argv.slice(2);
if (!xmlPath || !answersPath || !outPath) {
  console.error('usage: node fill_instance.mjs FORM.xml ANSWERS.json OUT.xml');
  process.exit(2);
}
const answers = JSON.parse(fs.readFileSync(answersPath, 'utf8'));
const created = await createInstance(fs.readFileSync(xmlPath, 'utf8'), {
  form: {
    fetchFormAttachment: async () => new Response('', { status: 404 }),
    missingResourceBehavior: 'BLANK',
  },
  instance: { stateFactory: (object) => object },
});
const root = created.root;

function findNode(node, reference) {
  if (node.currentState.reference === reference) return node;
  for (const child of node.currentState.children ?? []) {
    const found = findNode(child, reference);
    if (found) return found;
  }
  return null;
}
const need = (reference) => {
  const node = findNode(root, reference);
  if (!node) {
    console.error(`${xmlPath}: no node ${reference} in ODK's engine`);
    process.exit(1);
  }
  return node;
};

for (const [reference, count] of Object.entries(answers.repeats ?? {})) {
  const range = need(reference);
  const have = range.currentState.children.length;
  if (count > have) range.addInstances(have - 1, count - have);
}
for (const [reference, value] of Object.entries(answers.values ?? {})) {
  const node = need(reference);
  if (Array.isArray(value)) {
    node.selectValues(value);
  } else if (typeof node.selectValue === 'function') {
    node.selectValue(value);
  } else if (typeof node.setValue === 'function') {
    node.setValue(value);
  } else {
    console.error(`${xmlPath}: node ${reference} (${node.nodeType}) takes no value`);
    process.exit(1);
  }
}
fs.writeFileSync(outPath, root.instanceState.instanceXML);
