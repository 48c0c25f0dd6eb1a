// The browser app's entry: loads the interview engine (WebAssembly, the same C++ as
// the terminal interviewer: web/engine), the words, the header (language switch,
// the outbox's status) and shows the page the address names:
//   #forms (default)  the forms on this device, drafts, the outbox
//   #login            User, Password, Log in
//   #new/FORM_KEY     a new interview of a form version
//   #iv/INSTANCE_ID   an interview (a draft resumes where it stopped)
//   #submissions, #submission/FORM/INSTANCE, #progress  the supervisor's pages
//                     (supervisor.mjs; an interviewer sees its own work only)
// docs/web.md describes the app; the service worker (sw.js) keeps it offline.
import { loadEngine } from '/web/engine/engine.mjs';
import * as api from './api.mjs';
import * as i18n from './i18n.mjs';
import { el, t } from './i18n.mjs';
import * as outbox from './outbox.mjs';
import * as store from './store.mjs';
import { busy, Interviews } from './interview.mjs';
import { Supervisor } from './supervisor.mjs';

const main = document.getElementById('main');
const statusLine = document.getElementById('outbox-status');
const languageSelect = document.getElementById('language');
const languageLabel = document.getElementById('language-label');
const nav = document.getElementById('nav');

const app = {
  engine: null,
  interviews: null,
  account: null,
  notice: '',
  // The page shown now, re-rendered when the language changes.
  rerender: () => {},
  onLanguage: null,
};

function showStatus(waiting) {
  const n = waiting.length;
  const lang = i18n.language();
  let text = t('status_waiting', n);
  if (lang !== 'en') text += ` (${i18n.tIn('en', 'status_waiting', n)})`;
  if (!navigator.onLine) text += ` · ${t('status_offline')}`;
  statusLine.textContent = text;
  statusLine.classList.toggle('offline', !navigator.onLine);
}

async function refreshStatus() {
  showStatus(await outbox.pending());
}

function renderHeader() {
  const lang = i18n.language();
  languageLabel.textContent = t('label_language');
  const english = i18n.tIn('en', 'label_language');
  if (english !== t('label_language')) languageLabel.setAttribute('aria-label', `${t('label_language')} (${english})`);
  else languageLabel.removeAttribute('aria-label');
  languageSelect.replaceChildren(
    ...i18n.catalogueLanguages().map((l) =>
      el('option', { value: l.code, selected: l.code === lang }, i18n.languageName(l.code))),
  );
  const link = (href, key) => {
    const name = i18n.accessibleName(key);
    return el('a', { href, 'aria-label': name === t(key) ? null : name }, t(key));
  };
  const links = [link('#forms', 'heading_forms')];
  // The supervisor's pages, for every account: the server shows an interviewer its
  // own submissions only.
  if (app.account) {
    links.push(link('#submissions', 'heading_submissions'));
    links.push(link('#progress', 'heading_progress'));
  }
  nav.replaceChildren(...links);
}

async function setLanguage(code) {
  i18n.setLanguage(code);
  localStorage.setItem('ngosurvey.language', i18n.language());
  renderHeader();
  await refreshStatus();
  await busy(async () => {
    if (app.onLanguage) await app.onLanguage(i18n.language());
    else await app.rerender();
  });
}

// Fetches the forms list and the models of versions not on the device yet. Offline
// or logged out, the device's forms stay as they are.
async function syncForms() {
  const list = await api.forms();
  for (const f of list) {
    if (f.may_submit === false) continue;
    const key = `${f.form_id}@${f.version}`;
    if (await store.get('forms', key)) continue;
    const model = await api.formModel(f.form_id, f.version);
    await store.put('forms', {
      key,
      form_id: f.form_id,
      version: f.version,
      title: f.title || f.form_id,
      model,
      fetched_at: Date.now(),
    });
  }
  return list;
}

// The newest version of each form on the device (the last fetched).
async function latestForms() {
  const byId = new Map();
  for (const f of await store.all('forms')) {
    const seen = byId.get(f.form_id);
    if (!seen || f.fetched_at > seen.fetched_at) byId.set(f.form_id, f);
  }
  return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title));
}

async function formsPage() {
  app.onLanguage = null;
  app.rerender = formsPage;
  // Without an account the server is not asked: a request without a session meets
  // the OpenRosa Digest challenge, which would open the browser's own password dialog.
  let loginNeeded = !app.account;
  if (navigator.onLine && app.account) {
    try {
      await syncForms();
    } catch (e) {
      if (e instanceof api.HttpError && e.status === 401) {
        loginNeeded = true;
        app.account = null;
        await store.setMeta('account', null);
      }
    }
  }
  const forms = await latestForms();
  if (loginNeeded && !forms.length) {
    location.hash = '#login';
    return;
  }
  const interviews = await store.all('interviews');
  const drafts = interviews.filter((i) => i.status === 'draft')
    .sort((a, b) => b.updated_at - a.updated_at);
  const waiting = await outbox.pending();
  const children = [el('h1', {}, t('heading_forms'))];
  if (app.notice) children.push(el('p', { class: 'note', role: 'status' }, app.notice));
  app.notice = '';
  if (loginNeeded) {
    children.push(el('p', {}, el('a', { href: '#login' }, t('session_expired'))));
  }
  if (!forms.length) children.push(el('p', {}, t('no_forms')));
  children.push(el('ul', { class: 'form-list' },
    forms.map((f) => el('li', {}, el('button', {
      type: 'button',
      class: 'form-start',
      onclick: () => { location.hash = `#new/${encodeURIComponent(f.key)}`; },
    }, f.title)))));
  if (drafts.length) {
    children.push(el('h2', {}, t('heading_drafts')));
    children.push(el('ul', { class: 'drafts' }, drafts.map((d) => el('li', {},
      el('span', {}, `${d.title} · ${i18n.dateTimeInWords(d.updated_at)}`),
      i18n.button('button_resume', () => { location.hash = `#iv/${encodeURIComponent(d.instance_id)}`; })))));
  }
  if (waiting.length) {
    const failed = waiting.filter((w) => w.error);
    children.push(el('p', {}, `${t('status_waiting', waiting.length)} `, i18n.button('button_send', () => busy(async () => {
      await outbox.flush({ force: true });
      await formsPage();
    }))));
    for (const f of failed) children.push(el('p', { class: 'error' }, `${f.instance_id}: ${f.error}`));
  }
  if (app.account) {
    children.push(el('p', { class: 'muted' }, `${t('column_interviewer')}: ${app.account.user} `,
      i18n.button('button_log_out', async () => {
        try { await api.logOut(); } catch { /* offline: the cookie ends with the session */ }
        app.account = null;
        renderHeader();
        location.hash = '#login';
      })));
  }
  main.replaceChildren(...children);
}

function loginPage() {
  app.onLanguage = null;
  app.rerender = loginPage;
  const error = el('p', { class: 'error', role: 'alert' });
  const user = el('input', { id: 'login-user', type: 'text', autocomplete: 'username', required: true });
  const password = el('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const label = (key, forId) => el('label', { for: forId }, t(key),
    i18n.language() === 'en' ? null : el('span', { class: 'muted' }, ` (${i18n.tIn('en', key)})`));
  const form = el('form', {
    class: 'login',
    onsubmit: (ev) => busy(async () => {
      ev.preventDefault();
      error.textContent = '';
      try {
        app.account = await api.logIn(user.value, password.value);
        renderHeader();
        await outbox.flush({ force: true });
        location.hash = '#forms';
      } catch (e) {
        error.textContent = e instanceof api.HttpError && (e.status === 401 || e.status === 403)
          ? t('login_failed') : e.message;
      }
    }),
  },
  label('label_user', 'login-user'), user,
  label('label_password', 'login-password'), password,
  error,
  el('button', { type: 'submit', class: 'primary', 'aria-label': i18n.accessibleName('button_log_in') }, t('button_log_in')));
  main.replaceChildren(el('h1', {}, t('button_log_in')), form);
}

async function route() {
  const [page, ...rest] = location.hash.replace(/^#/, '').split('/');
  const arg = rest.map(decodeURIComponent);
  if (app.interviews) app.interviews.leave();
  try {
    if (page === 'login') return loginPage();
    if (page === 'new') return await app.interviews.start(arg[0]);
    if (page === 'iv') return await app.interviews.open(arg[0]);
    if (page.startsWith('submissions')) return await app.supervisor.table();
    if (page === 'submission') return await app.supervisor.submission(arg[0], arg[1]);
    if (page === 'progress') return await app.supervisor.progress();
    return await formsPage();
  } catch (e) {
    if (e instanceof api.HttpError && e.status === 401) {
      location.hash = '#login';
      return;
    }
    main.replaceChildren(el('p', { class: 'error', role: 'alert' }, String(e.message || e)));
  }
}

async function start() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/web/sw.js', { scope: '/web/' }).catch(() => {});
  }
  app.engine = await loadEngine(new URL('/web/engine/ngosurvey-engine.mjs', location.href).href);
  i18n.init(app.engine);
  i18n.setLanguage(localStorage.getItem('ngosurvey.language') || 'en');
  app.account = (await store.getMeta('account')) || null;
  if (!(await store.getMeta('device_id'))) {
    await store.setMeta('device_id', `web:${crypto.randomUUID()}`);
  }
  app.deviceId = await store.getMeta('device_id');
  app.main = main;
  app.setNotice = (text) => { app.notice = text; };
  app.interviews = new Interviews(app);
  app.supervisor = new Supervisor(app);
  languageSelect.addEventListener('change', () => setLanguage(languageSelect.value));
  renderHeader();
  outbox.onChange(showStatus);
  window.addEventListener('online', refreshStatus);
  window.addEventListener('offline', refreshStatus);
  window.addEventListener('hashchange', () => busy(route));
  await refreshStatus();
  await busy(route);
  outbox.flush();
  document.body.dataset.ready = 'true';
}

start();
