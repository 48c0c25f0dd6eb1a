// The interview pages: one engine screen at a time (a question, or a field-list
// group's questions together; a repeat's "add another?"; the end with the review),
// every answer checked by the engine as it is given and saved to IndexedDB before
// the page says so. Nothing here decides what comes next or whether an answer is
// valid: the engine (src/interview through web/engine) does, with the form's own
// messages in the interview's language.
import * as i18n from './i18n.mjs';
import { el, t } from './i18n.mjs';
import * as outbox from './outbox.mjs';
import * as store from './store.mjs';

// "prog[2]/site[1]/name" -> the innermost repeat instance: {repeat: "site", instance: 1}.
export function innermostInstance(path) {
  const steps = path.split('/');
  for (let i = steps.length - 2; i >= 0; i--) {
    const m = /^(.+)\[(\d+)\]$/.exec(steps[i]);
    if (m) return { repeat: m[1], instance: Number(m[2]) };
  }
  return null;
}

function shownValue(prompt) {
  const a = prompt.answer;
  return a && a.state === 'answered' ? a.value : '';
}

function inputType(type) {
  switch (type) {
    case 'date': return { type: 'date' };
    case 'time': return { type: 'time', step: '1' };
    case 'dateTime': case 'datetime': return { type: 'datetime-local', step: '1' };
    case 'integer': return { type: 'text', inputmode: 'numeric' };
    case 'decimal': case 'range': return { type: 'text', inputmode: 'decimal' };
    default: return { type: 'text' };
  }
}

// Marks the page busy while `fn` runs (document.body.dataset.busy), so that a
// script or a test can wait until an answer is checked, saved and shown.
let busyCount = 0;
export async function busy(fn) {
  busyCount++;
  document.body.dataset.busy = '1';
  try {
    return await fn();
  } finally {
    if (--busyCount === 0) document.body.dataset.busy = '0';
  }
}

export class Interviews {
  constructor(app) {
    this.app = app;
    this.forms = new Map(); // form key -> engine form (loadForm's answer)
    this.current = null; // {record, id (engine interview), screen, language}
    this.saving = Promise.resolve();
  }

  leave() {
    if (this.current) this.app.engine.request({ op: 'close', interview: this.current.id });
    this.current = null;
    this.app.onLanguage = null;
  }

  async engineForm(formKey) {
    if (this.forms.has(formKey)) return this.forms.get(formKey);
    const f = await store.get('forms', formKey);
    if (!f) throw new Error(`form ${formKey} is not on this device`);
    const loaded = this.app.engine.loadForm(f.model);
    if (!loaded.ok) throw new Error(loaded.error.message);
    loaded.title = f.title;
    loaded.form_key = formKey;
    this.forms.set(formKey, loaded);
    return loaded;
  }

  // The language to interview in: the page's, when the form has it.
  formLanguage(form) {
    const want = i18n.language();
    return form.languages.some((l) => l.code === want) ? want : '';
  }

  options() {
    const account = this.app.account || {};
    return {
      username: account.user || '',
      device_id: this.app.deviceId,
      utc_offset_minutes: -new Date().getTimezoneOffset(),
    };
  }

  // A new interview of a form version: a draft in IndexedDB from its first answer
  // (the metadata), then its first question.
  async start(formKey) {
    const form = await this.engineForm(formKey);
    const r = this.app.engine.request({ op: 'start', form: form.form, language: this.formLanguage(form), ...this.options() });
    if (!r.ok) throw new Error(r.error.message);
    const now = Date.now();
    const record = {
      instance_id: `uuid:${crypto.randomUUID()}`,
      form_key: formKey,
      form_id: form.form_id,
      version: form.version,
      title: form.title,
      language: r.language,
      answers: store.applyChanges({}, r.changes),
      status: 'draft',
      started_at: now,
      updated_at: now,
    };
    await store.put('interviews', record);
    this.current = { record, id: r.interview, form };
    history.replaceState(null, '', `#iv/${encodeURIComponent(record.instance_id)}`);
    this.show(r);
  }

  // A stored interview: a draft resumes after its last answered screen, in the
  // language it was in (its form version, even if a newer one was published since).
  async open(instanceId) {
    const record = await store.get('interviews', instanceId);
    if (!record) throw new Error(`${instanceId} is not on this device`);
    const form = await this.engineForm(record.form_key);
    const r = this.app.engine.request({
      op: 'resume', form: form.form, answers: record.answers,
      language: record.language || this.formLanguage(form), ...this.options(),
    });
    if (!r.ok) throw new Error(r.error.message);
    if (r.language && r.language !== i18n.language() &&
        i18n.catalogueLanguages().some((l) => l.code === r.language)) {
      i18n.setLanguage(r.language);
      document.getElementById('language').value = r.language;
    }
    this.current = { record, id: r.interview, form };
    if (record.status !== 'draft') return this.review(r, false);
    await this.save(r);
    this.show(r);
  }

  request(req) {
    return this.app.engine.request({ interview: this.current.id, ...req });
  }

  // Saves the changes of an engine answer (one IndexedDB transaction, in order), and
  // says so on the page once committed.
  save(r) {
    const cur = this.current;
    if (!cur || (!r.changes.length && r.language === cur.record.language)) return this.saving;
    store.applyChanges(cur.record.answers, r.changes);
    cur.record.language = r.language;
    cur.record.updated_at = Date.now();
    const snapshot = structuredClone(cur.record);
    cur.pending = (cur.pending || 0) + 1;
    const el = document.getElementById('saved');
    if (el) el.textContent = '';
    this.saving = this.saving.then(() => store.put('interviews', snapshot)).then(() => {
      if (--cur.pending > 0) return;
      cur.saved = true;
      const s = document.getElementById('saved');
      if (s) s.textContent = t('status_saved_on_device');
    }).catch((e) => {
      // Not saved: said on the page, never "saved"; the next answer tries again
      // with the whole record.
      cur.pending = 0;
      const s = document.getElementById('saved');
      if (s) s.textContent = String(e.message || e);
    });
    return this.saving;
  }

  // Shows the screen of engine answer `r`; `errors` by prompt index.
  show(r, errors = {}, topError = '') {
    const cur = this.current;
    cur.screen = r.screen;
    this.app.onLanguage = (lang) => this.language(lang);
    this.app.rerender = () => this.show(this.request({ op: 'screen' }));
    const s = r.screen;
    const main = this.app.main;
    const children = [];
    if (s.group_path.length) children.push(el('p', { class: 'where' }, s.group_path.join(' › ')));
    let counter = t('position_of', s.position, s.question_count);
    if (s.repeat_question_count > 0) counter += ` · ${t('position_of', s.repeat_position, s.repeat_question_count)}`;
    children.push(el('p', { class: 'counter' }, counter));
    if (topError) children.push(el('p', { class: 'error', role: 'alert' }, topError));
    const actions = [i18n.button('button_back', () => busy(() => this.back()))];
    if (s.kind === 'questions') {
      const form = el('form', { id: 'screen', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); busy(() => this.next()); } });
      if (!s.prompts.length) form.append(el('p', { class: 'muted' }, t('nothing_here')));
      s.prompts.forEach((p, i) => form.append(this.prompt(p, i, errors[i])));
      children.push(form);
      const inRepeat = s.prompts.length ? innermostInstance(s.prompts[0].path) : null;
      if (inRepeat) actions.push(i18n.button('button_remove', () => busy(() => this.removeInstance(inRepeat))));
    } else if (s.kind === 'repeat_prompt') {
      children.push(el('h1', {}, t('repeat_question', s.repeat_label, s.repeat_instance)));
      children.push(el('p', {}, i18n.button('button_add', () => busy(() => this.act({ op: 'add_repeat' })), { class: 'primary' })));
    } else {
      children.push(el('h1', {}, t('end_title')));
      children.push(el('p', {}, t('end_question')));
      children.push(this.reviewList());
    }
    actions.push(el('span', { class: 'spacer' }));
    actions.push(el('p', { id: 'saved', class: 'saved', 'aria-live': 'polite' },
      cur.saved && !cur.pending ? t('status_saved_on_device') : ''));
    actions.push(i18n.button('button_save', () => busy(() => this.saveAndExit())));
    if (s.kind === 'end') actions.push(i18n.button('button_complete', () => busy(() => this.complete()), { class: 'primary' }));
    else actions.push(i18n.button('button_next', () => busy(() => this.next()), { class: 'primary' }));
    children.push(el('div', { class: 'actions' }, actions));
    main.replaceChildren(...children);
    const firstError = main.querySelector('[aria-invalid=true]');
    if (firstError) firstError.focus();
    else main.querySelector('h1, .question input, .question legend') ? null : null;
  }

  // One question: its label names its input (or the group of its choices), its hint
  // describes it, its Refuse / Don't know are inside its group.
  prompt(p, i, error) {
    const id = `q${i}`;
    const labelId = `${id}-label`;
    const hintId = p.hint ? `${id}-hint` : null;
    const errorId = error ? `${id}-error` : null;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ') || null;
    const req = p.required ? el('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null;
    const parts = [];
    if (p.type === 'note') {
      return el('div', { class: 'note', id, elementtiming: 'question-label' }, p.label, p.hint ? el('p', { class: 'hint' }, p.hint) : null);
    }
    const isSelect = p.choices.length > 0 || p.type.startsWith('select') || p.type === 'rank';
    let group;
    if (isSelect) {
      group = el('fieldset', { class: 'question', id, 'aria-describedby': describedBy },
        el('legend', { id: labelId, elementtiming: 'question-label' }, p.label, req));
      if (p.hint) group.append(el('p', { class: 'hint', id: hintId }, p.hint));
      const chosen = new Set(shownValue(p).split(' ').filter(Boolean));
      const choices = el('div', { class: 'choices' });
      p.choices.forEach((c, k) => {
        const input = el('input', {
          type: p.multiple ? 'checkbox' : 'radio',
          name: id,
          id: `${id}-c${k}`,
          value: c.name,
          checked: chosen.has(c.name),
          'aria-invalid': error ? 'true' : null,
          onchange: () => busy(() => this.setFromDom(i)),
        });
        choices.append(el('label', { class: 'choice', for: input.id }, input, el('span', {}, c.label)));
      });
      group.append(choices);
    } else {
      group = el('div', { class: 'question', role: 'group', id, 'aria-labelledby': labelId });
      group.append(el('label', { class: 'qlabel', id: labelId, for: `${id}-input`, elementtiming: 'question-label' }, p.label, req));
      if (p.hint) group.append(el('p', { class: 'hint', id: hintId }, p.hint));
      if (p.type === 'acknowledge') {
        const input = el('input', { type: 'checkbox', id: `${id}-input`, checked: shownValue(p) === 'OK', onchange: () => busy(() => this.setFromDom(i)) });
        group.querySelector('label').prepend(input);
      } else if (!p.supported) {
        group.append(el('p', { class: 'muted' }, p.unsupported));
      } else {
        group.append(el('input', {
          ...inputType(p.type),
          id: `${id}-input`,
          value: shownValue(p),
          'aria-describedby': describedBy,
          'aria-required': p.required ? 'true' : null,
          'aria-invalid': error ? 'true' : null,
          autocomplete: 'off',
          onchange: () => busy(() => this.setFromDom(i)),
        }));
      }
    }
    if (p.answer && (p.answer.state === 'refused' || p.answer.state === 'dont_know')) {
      parts.push(el('p', { class: 'state' }, t(p.answer.state === 'refused' ? 'refused' : 'dont_know')));
    }
    if (error) parts.push(el('p', { class: 'error', id: errorId, role: 'alert' }, error));
    if (p.can_refuse || p.can_dont_know) {
      const row = el('div', { class: 'nonanswers' });
      if (p.can_refuse) {
        row.append(i18n.button('button_refuse', () => busy(() => this.act({ op: 'refuse', prompt: i })),
          { 'aria-pressed': p.answer && p.answer.state === 'refused' ? 'true' : 'false' }));
      }
      if (p.can_dont_know) {
        row.append(i18n.button('button_dont_know', () => busy(() => this.act({ op: 'dont_know', prompt: i })),
          { 'aria-pressed': p.answer && p.answer.state === 'dont_know' ? 'true' : 'false' }));
      }
      parts.push(row);
    }
    group.append(...parts);
    return group;
  }

  // The value prompt `i` has on the page, as the engine takes it.
  domValue(i) {
    const p = this.current.screen.prompts[i];
    const id = `q${i}`;
    if (p.choices.length > 0 || p.type.startsWith('select') || p.type === 'rank') {
      return [...document.querySelectorAll(`input[name="${id}"]:checked`)].map((x) => x.value).join(' ');
    }
    const input = document.getElementById(`${id}-input`);
    if (!input) return null;
    if (p.type === 'acknowledge') return input.checked ? 'OK' : '';
    return input.value;
  }

  // Sends prompt i's page value to the engine if it changed; the error's message, or ''.
  syncPrompt(i) {
    const p = this.current.screen.prompts[i];
    if (!p || p.type === 'note' || !p.supported) return { ok: true };
    const value = this.domValue(i);
    if (value === null || value === shownValue(p)) return { ok: true };
    if (value === '' && p.answer && p.answer.state !== 'answered' && p.answer.state !== 'missing') return { ok: true };
    return this.request({ op: 'set', prompt: i, value });
  }

  async setFromDom(i) {
    const r = this.syncPrompt(i);
    if (!r.screen) return;
    this.save(r);
    const before = this.current.screen.prompts.map((p) => p.path).join('|');
    const after = r.screen.prompts.map((p) => p.path).join('|');
    if (!r.ok) {
      this.showKeepingValues(r, { [i]: r.error.message });
    } else if (before !== after) {
      this.showKeepingValues(r);
    } else {
      this.current.screen = r.screen;
      const err = document.getElementById(`q${i}-error`);
      if (err) err.remove();
      document.getElementById(`q${i}`)?.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
      const state = document.querySelector(`#q${i} .state`);
      if (state) state.remove();
    }
  }

  // Re-shows the screen keeping what is typed but not accepted yet in its input.
  showKeepingValues(r, errors = {}) {
    const typed = {};
    const prompts = this.current.screen.prompts;
    prompts.forEach((p, i) => {
      const v = this.domValue(i);
      if (v !== null && v !== shownValue(p)) typed[p.path] = v;
    });
    this.show(r, errors);
    r.screen.prompts.forEach((p, i) => {
      if (!(p.path in typed)) return;
      const input = document.getElementById(`q${i}-input`);
      if (input && input.type !== 'checkbox') input.value = typed[p.path];
    });
  }

  // Any request that changes the interview: saved, then the new screen.
  async act(req) {
    await this.actScreen(req);
    await this.saving;
  }

  async actScreen(req) {
    const r = this.request(req);
    this.save(r);
    if (!r.ok) return this.showKeepingValues(r, {}, r.error.message);
    this.show(r);
    this.focusTop();
  }

  focusTop() {
    const first = this.app.main.querySelector('.question input, .question textarea, h1, button.primary');
    if (first) first.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }

  // Each handler below queues its saves (in order, one transaction per engine
  // answer) and shows the next screen at once; the handler (and the page's busy
  // mark) ends when they are committed, and only then does the page say "saved".
  async next() {
    await this.nextScreen();
    await this.saving;
  }

  async nextScreen() {
    const s = this.current.screen;
    if (s.kind === 'questions') {
      for (let i = 0; i < s.prompts.length; i++) {
        const r = this.syncPrompt(i);
        if (!r.screen) continue;
        this.save(r);
        if (!r.ok) return this.showKeepingValues(r, { [i]: r.error.message });
        this.current.screen = r.screen;
      }
    }
    const r = this.request({ op: 'next' });
    this.save(r);
    if (!r.ok) {
      // A required question left empty: the form's message at the first such one.
      const missing = r.screen.prompts.findIndex((p) => p.required &&
        (!p.answer || p.answer.state === 'missing' || p.answer.state === 'not_asked'));
      if (missing >= 0) return this.showKeepingValues(r, { [missing]: r.error.message });
      return this.showKeepingValues(r, {}, r.error.message);
    }
    this.show(r);
    this.focusTop();
  }

  async back() {
    await this.backScreen();
    await this.saving;
  }

  async backScreen() {
    const r = this.request({ op: 'back' });
    this.save(r);
    if (!r.ok) return this.show(r, {}, r.error.message);
    this.show(r);
    this.focusTop();
  }

  async removeInstance({ repeat, instance }) {
    await this.act({ op: 'remove_repeat', repeat, instance });
  }

  async language(lang) {
    const cur = this.current;
    if (!cur) return;
    const code = cur.form.languages.some((l) => l.code === lang) ? lang : null;
    const r = code ? this.request({ op: 'language', language: code }) : this.request({ op: 'screen' });
    this.save(r);
    if (cur.screen && cur.screen.kind === 'questions') this.showKeepingValues(r);
    else this.show(r);
  }

  async saveAndExit() {
    await this.saving;
    this.app.setNotice(t('draft_saved'));
    location.hash = '#forms';
  }

  // The answers by label, grouped under their groups and repeat instances.
  reviewList() {
    const r = this.request({ op: 'review' });
    const root = el('div', { class: 'review' });
    let heading = [];
    let list = el('dl');
    root.append(list);
    for (const item of r.review) {
      if (!item.displayed) continue;
      const same = item.group_path.length === heading.length && item.group_path.every((g, k) => g === heading[k]);
      if (!same) {
        let k = 0;
        while (k < heading.length && k < item.group_path.length && heading[k] === item.group_path[k]) k++;
        for (let g = k; g < item.group_path.length; g++) {
          root.append(el(g === 0 ? 'h2' : 'h3', {}, item.group_path[g]));
        }
        heading = item.group_path;
        list = el('dl', { class: heading.length > 1 ? 'group' : null });
        root.append(list);
      }
      const words = {
        answered: item.shown,
        refused: t('refused'),
        dont_know: t('dont_know'),
        not_asked: t('not_asked'),
        missing: t('no_answer'),
      };
      list.append(el('dt', {}, item.label),
        el('dd', { class: item.state === 'answered' ? null : 'muted' }, words[item.state] ?? item.shown));
    }
    return root;
  }

  // A finished interview read back (no changes possible here).
  review(r, editable) {
    this.current.screen = r.screen;
    this.app.rerender = () => this.review(this.request({ op: 'screen' }), editable);
    this.app.onLanguage = async (lang) => {
      const code = this.current.form.languages.some((l) => l.code === lang) ? lang : null;
      this.review(code ? this.request({ op: 'language', language: code }) : this.request({ op: 'screen' }), editable);
    };
    const status = this.current.record.status === 'sent' ? t('status_sent', this.current.record.title)
      : t('status_waiting', 1);
    this.app.main.replaceChildren(el('h1', {}, this.current.record.title), el('p', { class: 'muted' }, status),
      this.reviewList());
  }

  // Completes the interview, then puts its instance XML in the outbox with the
  // interview marked finished (one transaction), and sends it if it can.
  async complete() {
    const r = this.request({ op: 'complete' });
    await this.save(r);
    if (!r.ok) return this.show(r, {}, r.error.message);
    const x = this.request({ op: 'instance_xml', instance_id: this.current.record.instance_id });
    if (!x.ok) return this.show(r, {}, x.error.message);
    await this.saving;
    await outbox.enqueue(this.current.record, x.xml);
    this.app.setNotice(t('completed', this.current.record.title));
    location.hash = '#forms';
  }
}
