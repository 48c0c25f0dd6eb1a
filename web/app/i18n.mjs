// The tool's own words on the pages, from the one catalogue the terminal
// interviewer and the reports use too (src/base/words.h), read through the engine's
// "words" request. A button shows the word in the chosen language and is named by
// it and its English word: shown "បន្ទាប់", named "បន្ទាប់ (Next)".

let engine = null;
const cache = new Map();
let current = 'en';
let languages = [];

export function init(eng) {
  engine = eng;
  const r = engine.request({ op: 'words', language: 'en' });
  languages = r.languages;
  cache.set('en', r.words);
}

function words(lang) {
  if (!cache.has(lang)) cache.set(lang, engine.request({ op: 'words', language: lang }).words);
  return cache.get(lang);
}

export function setLanguage(lang) {
  current = languages.some((l) => l.code === lang) ? lang : 'en';
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

// The languages the catalogue speaks: [{code, own, english}].
export function catalogueLanguages() {
  return languages;
}

function fill(pattern, args) {
  let i = 0;
  return pattern.replace(/\{\}/g, () => (i < args.length ? String(args[i++]) : ''));
}

// The word `key` in the current language (or `lang`), "{}" filled with `args`.
export function t(key, ...args) {
  return fill(words(current)[key] ?? words('en')[key] ?? key, args);
}

export function tIn(lang, key, ...args) {
  return fill(words(lang)[key] ?? key, args);
}

// The accessible name of a control showing word `key`: the shown word, and the
// English word after it when they differ.
export function accessibleName(key, ...args) {
  const shown = t(key, ...args);
  const english = tIn('en', key, ...args);
  return shown === english ? shown : `${shown} (${english})`;
}

// A language's name for a switch: its own name and its English name ("ខ្មែរ (Khmer)").
export function languageName(code, fallback) {
  const l = languages.find((x) => x.code === code);
  if (!l) return fallback || code;
  return l.own === l.english ? l.own : `${l.own} (${l.english})`;
}

// A moment in words in the current language, from the catalogue's month names and
// date pattern (as base/words.h DateInWords writes dates), with the time HH:MM:
// "6 December 2026 14:05", "ថ្ងៃទី៦ ខែធ្នូ ឆ្នាំ២០២៦ ១៤:០៥", "ngày 6 tháng 12 năm 2026 14:05".
export function dateTimeInWords(ms) {
  const d = new Date(ms);
  return wallClockInWords(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes());
}

// A time as the server writes it ("2024-03-05T09:12:44.123+07:00") in words, in the
// local time of its own offset (where the interview happened: 09:12), not in the
// browser's; a time in UTC ("...Z", no offset known) in the browser's, as above.
export function writtenDateTimeInWords(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})[^Z]*[+-]\d{2}:\d{2}$/.exec(iso);
  if (!m) return dateTimeInWords(Date.parse(iso));
  return wallClockInWords(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

function wallClockInWords(year, month, dayOfMonth, hours, minutes) {
  const pad = (n) => String(n).padStart(2, '0');
  let text = `${t('date_pattern', dayOfMonth, t(`month_${month}`), year)} ${pad(hours)}:${pad(minutes)}`;
  if (current === 'km') text = text.replace(/[0-9]/g, (c) => String.fromCharCode(0x17e0 + Number(c)));
  return text;
}

// An element with text `text`, attributes and children.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// A button showing word `key`, named by it and its English word.
export function button(key, onclick, attrs = {}) {
  const shown = t(key);
  const name = accessibleName(key);
  return el('button', { type: 'button', ...attrs, onclick, 'aria-label': name === shown ? null : name }, shown);
}
