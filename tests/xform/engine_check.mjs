// Loads an XForm written by `ngosurvey form xform` in ODK's own engine
// (@getodk/xforms-engine, the engine of ODK Web Forms), headless under Node with
// jsdom for its DOM, and checks that it shows the same questions as ngosurvey's
// model of the form (`ngosurvey form show --format json`): the same elements in the
// same order, with the same labels in every language.
//
//   node engine_check.mjs FORM.xml FORM.json
//
// Elements pyxform generates (meta/instanceID, meta/instanceName, NAME_other after
// an or_other select, NAME_count before a repeat counted by an expression, the
// meta/entity of ODK entities) are the only ones allowed beyond the form's. Repeats are opened with one instance (a
// counted repeat through its count question), so that their questions are checked
// too. Labels are compared with ${name} references (shown empty by the engine on a
// blank instance) removed and whitespace collapsed. Exit 0 when all match; 1 with
// the differences.
import fs from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('');
for (const key of ['window', 'document', 'DOMParser', 'XMLSerializer', 'Node', 'Element',
                   'Document', 'XPathResult', 'NodeFilter', 'Text', 'Attr']) {
  globalThis[key] = dom.window[key] ?? globalThis[key];
}
// The engine's bundled XPath parser (tree-sitter) expects CommonJS globals.
globalThis.__dirname = '/';
globalThis.module = {};
const { createInstance } = await import('@getodk/xforms-engine');

const [xmlPath, jsonPath] = process.argv.slice(2);
if (!xmlPath || !jsonPath) {
  console.error('usage: node engine_check.mjs FORM.xml FORM.json');
  process.exit(2);
}
const xml = fs.readFileSync(xmlPath, 'utf8');
const expected = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));

const created = await createInstance(xml, {
  form: {
    // Form attachments (media, CSV files) are not part of the test: answer 404.
    fetchFormAttachment: async () => new Response('', { status: 404 }),
    missingResourceBehavior: 'BLANK',
  },
  instance: { stateFactory: (object) => object },
});
const root = created.root;
const problems = [];

// pyxform (and so the XForm) turns "smart" quotes into plain ones; whitespace is
// collapsed on both sides.
const clean = (text) => (text ?? '').replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"')
  .replace(/\s+/g, ' ').trim();
// A label of ours matches the engine's when its text around each ${name} is there in
// order (the engine shows the referenced value, which depends on the instance).
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sameLabel = (ours, engine) => {
  const parts = clean(ours).split(/\$\{[^}]*\}/).map((p) => escapeRegExp(p.trim()));
  return new RegExp(`^${parts.join('.*?')}$`, 's').test(clean(engine));
};
const bare = (reference) => reference.replace(/\[\d+\]/g, '');

function findNode(node, reference) {
  if (bare(node.currentState.reference) === reference) return node;
  for (const child of node.currentState.children ?? []) {
    const found = findNode(child, reference);
    if (found) return found;
  }
  return null;
}

// Give every repeat one instance so that its questions exist.
function openRepeats(node) {
  for (const child of node.currentState.children ?? []) {
    if (child.nodeType === 'repeat-range:uncontrolled' && child.currentState.children.length === 0) {
      child.addInstances(1);
    }
    if (child.nodeType === 'repeat-range:controlled' && child.currentState.children.length === 0) {
      const count = (child.definition.bodyElement.countExpression ?? '').trim();
      const counter = findNode(root, count);
      if (counter && typeof counter.setValue === 'function') counter.setValue(1);
    }
    openRepeats(child);
  }
}
openRepeats(root);

// The engine's elements in document order: [path, node]. A repeat range stands
// for the repeat (its label); the first instance's children follow it. A repeat
// the test could not open contributes its template's paths without labels.
function collect(node, out) {
  for (const child of node.currentState.children ?? []) {
    if (child.nodeType.startsWith('repeat-range')) {
      out.push([bare(child.currentState.reference), child]);
      const first = child.currentState.children[0];
      if (first) {
        collect(first, out);
      } else {
        // The template is a static copy of the instance: its elements' nodesets.
        const walk = (element) => {
          for (const d of element.children ?? []) {
            if (d.nodeType !== 'static-element') continue;
            out.push([d.nodeset, null]);
            walk(d);
          }
        };
        walk(child.definition.template);
      }
      continue;
    }
    out.push([bare(child.currentState.reference), child]);
    collect(child, out);
  }
}

const wanted = expected.questions.filter((q) => q.type !== 'xml-external' && q.type !== 'csv-external');
const wantedPaths = new Set(wanted.map((q) => q.path));
// ODK entities: a meta/entity (and its label) in the container `form show` names for
// each entity list (the survey's meta, or a meta of a group or repeat).
const entityContainers = new Set((expected.entities || []).map((e) => e.container).filter((c) => c));
const generated = (path) => {
  if (/^\/[^/]+\/meta\/(instanceID|instanceName|audit)$/.test(path) || /^\/[^/]+\/meta$/.test(path)) return true;
  const entity = /^(.*)\/meta(\/entity(\/label)?)?$/.exec(path);
  if (entity && entityContainers.has(entity[1])) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const parent = path.slice(0, path.lastIndexOf('/'));
  for (const q of wanted) {
    if (q.path === `${parent}/${name.replace(/_other$/, '')}` && name.endsWith('_other')) return true;
    if (q.type === 'begin_repeat' && q.path === `${parent}/${name.replace(/_count$/, '')}` && name.endsWith('_count')) return true;
  }
  return false;
};

const languages = root.languages.filter((l) => !l.isSyntheticDefault);
const codeOf = (language) => {
  const match = /\(([^()]+)\)\s*$/.exec(language);
  return match ? match[1].trim() : language;
};
const checkLanguages = languages.length > 0 ? languages : [null];
let compared = 0;
for (const language of checkLanguages) {
  if (language) root.setLanguage(language);
  const code = language ? codeOf(language.language) : null;
  const shown = [];
  collect(root, shown);
  const engine = shown.filter(([path]) => wantedPaths.has(path) || !generated(path));
  const ours = wanted.map((q) => q.path);
  const enginePaths = engine.map(([path]) => path);
  if (JSON.stringify(enginePaths) !== JSON.stringify(ours)) {
    const missing = ours.filter((p) => !enginePaths.includes(p));
    const extra = enginePaths.filter((p) => !ours.includes(p));
    problems.push(`elements differ${code ? ` (${code})` : ''}: missing ${JSON.stringify(missing)}, ` +
                  `extra ${JSON.stringify(extra)}` +
                  (missing.length + extra.length === 0 ? ', order differs' : ''));
    break;
  }
  for (let i = 0; i < wanted.length; ++i) {
    const [path, node] = engine[i];
    if (node === null) continue;
    const q = wanted[i];
    const labels = q.label ?? {};
    const ourLabel = labels[code] ?? labels[expected.default_language] ??
                     Object.values(labels)[0] ?? '';
    const engineLabel = node.currentState.label?.asString ?? '';
    if (!sameLabel(ourLabel, engineLabel)) {
      problems.push(`${path}${code ? ` (${code})` : ''}: label ${JSON.stringify(engineLabel)} in ODK's engine, ` +
                    `${JSON.stringify(ourLabel)} in ngosurvey`);
    }
    ++compared;
  }
}

if (problems.length > 0) {
  console.error(`${xmlPath}: ${problems.length} difference(s) with ODK's engine`);
  for (const p of problems.slice(0, 40)) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`${xmlPath}: ODK's engine shows the same ${wanted.length} elements ` +
            `(${compared} labels compared in ${checkLanguages.length} language(s))`);
