// The browser app end to end (issue 16): Debian's Chromium through playwright-core
// against a real `ngosurvey serve` on loopback with the reference instrument
// published. A whole interview in Khmer on a 10-inch tablet (1280x800) with the
// network cut in the middle, the tab closed and reopened offline, the network back,
// and the submission arriving once; the same in Vietnamese on a phone (390x844).
// Accessible names as the issue lists them, axe-core's WCAG 2.1 AA checks, touch
// targets, the shipped fonts, no request to another origin. Screenshots in OUT_DIR.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { axe, idle, interview, smallTargets } from './interview_driver.mjs';
import { startServer, storedSubmissions, waitForStored } from './app_util.mjs';

const OUT_DIR = process.env.OUT_DIR || '/tmp/ngosurvey-browser';
mkdirSync(OUT_DIR, { recursive: true });
const TITLE = 'Roles of NGOs in Combating the Trafficking of Women and Children in Cambodia and Viet Nam';

let server;
let browser;

before(async () => {
  server = await startServer({
    users: [
      { name: 'kanha', role: 'interviewer', password: 'kanha-pass-1' },
      { name: 'lan', role: 'interviewer', password: 'lan-pass-1' },
    ],
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function newContext(viewport) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow' });
  const foreign = [];
  context.on('request', (r) => {
    if (!r.url().startsWith(server.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
  });
  return { context, foreign };
}

async function openApp(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/web/index.html`);
  await idle(page);
  return { page, errors };
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`), fullPage: false });
}

// The status region's count.
async function waiting(page) {
  const text = await page.getByRole('status').filter({ hasText: 'Waiting to be sent' }).first().textContent();
  const m = /Waiting to be sent: (\d+)/.exec(text);
  return m ? Number(m[1]) : NaN;
}

async function logIn(page, user, password) {
  await page.waitForURL(/#login/);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: TITLE }).waitFor();
}

async function chooseLanguage(page, name) {
  await page.getByLabel('Language').selectOption({ label: name });
  await idle(page);
}

async function deviceAnswers(page, instanceId) {
  return page.evaluate((id) => new Promise((resolve, reject) => {
    const req = indexedDB.open('ngosurvey');
    req.onsuccess = () => {
      const get = req.result.transaction('interviews').objectStore('interviews').get(id);
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    };
  }), instanceId);
}

function sameAnswers(device, stored) {
  const expected = {};
  for (const [path, a] of Object.entries(device)) {
    if (a.state !== 'not_asked') expected[path] = { state: a.state, value: a.state === 'answered' ? a.value : null };
  }
  const got = {};
  for (const [path, a] of Object.entries(stored)) got[path] = { state: a.state, value: a.value };
  assert.deepEqual(got, expected);
}

test('a Khmer interview on a tablet survives the network cut, a closed tab and arrives once', async () => {
  const { context, foreign } = await newContext({ width: 1280, height: 800 });
  let { page, errors } = await openApp(context);
  await chooseLanguage(page, 'ខ្មែរ (Khmer)');
  // Logged out: the login page, its fields labelled "User" and "Password" (shown in
  // Khmer with the English word), the button named "ចូល (Log in)".
  await page.getByRole('button', { name: 'ចូល (Log in)' }).waitFor();
  await shot(page, 'km-tablet-login');
  assert.deepEqual(await smallTargets(page), []);
  assert.deepEqual(await axe(page), []);
  await logIn(page, 'kanha', 'kanha-pass-1');
  assert.equal(await waiting(page), 0);
  await shot(page, 'km-tablet-forms');
  assert.deepEqual(await axe(page), []);

  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  // The first question, labelled by its Khmer label; "Next" named in both languages.
  await page.getByRole('button', { name: 'បន្ទាប់ (Next)' }).waitFor();
  assert.match(await page.locator('#q0-label').textContent(), /[\u1780-\u17FF]/);
  const instanceId = decodeURIComponent(new URL(page.url()).hash.replace('#iv/', ''));
  assert.match(instanceId, /^uuid:[0-9a-f-]{36}$/);
  // "Next" on the unanswered required question: the form's required message.
  await page.getByRole('button', { name: /Next/ }).click();
  await idle(page);
  assert.ok(await page.getByRole('alert').count() > 0);
  await shot(page, 'km-tablet-required');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await smallTargets(page), []);

  // Half the interview online, then the network cut, then the tab closed.
  const tries = new Map();
  await interview(page, {
    tries,
    until: async (step) => step === 12,
    onScreen: async (step) => {
      if (step === 6) await context.setOffline(true);
      if (step === 8) await shot(page, 'km-tablet-offline');
    },
  });
  await page.close();

  // Reopened offline: the app from the service worker's cache, the forms list, the
  // status and the draft, resumed where it stopped.
  ({ page, errors } = await openApp(context));
  await page.getByRole('button', { name: TITLE }).waitFor();
  assert.equal(await waiting(page), 0);
  await shot(page, 'km-tablet-reopened-offline');
  await page.getByRole('button', { name: /Resume/ }).click();
  await idle(page);
  await interview(page, { tries, onScreen: async (step, s) => {
    if (s.kind === 'end') await shot(page, 'km-tablet-review');
  } });
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: /Complete/ }).click();
  await page.getByRole('button', { name: TITLE }).waitFor();
  assert.equal(await waiting(page), 1);  // offline: waiting
  await shot(page, 'km-tablet-waiting');
  assert.equal(storedSubmissions(server.db).filter((s) => s.instance_id === instanceId).length, 0);

  // The network back: sent, once.
  await context.setOffline(false);
  await page.waitForFunction(() => /Waiting to be sent: 0/.test(document.getElementById('outbox-status').textContent));
  const stored = storedSubmissions(server.db).filter((s) => s.instance_id === instanceId);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].status, 'complete');
  const device = await deviceAnswers(page, instanceId);
  assert.equal(device.status, 'sent');
  sameAnswers(device.answers, stored[0].answers);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  // The Khmer font shipped with the app was used.
  assert.ok(await page.evaluate(() => [...document.fonts].some((f) => f.family.includes('Khmer') && f.status === 'loaded')));
  await context.close();
});

test('a Vietnamese interview on a phone', async () => {
  const { context, foreign } = await newContext({ width: 390, height: 844 });
  const { page, errors } = await openApp(context);
  await chooseLanguage(page, 'Tiếng Việt (Vietnamese)');
  await logIn(page, 'lan', 'lan-pass-1');
  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  await page.getByRole('button', { name: 'Tiếp theo (Next)' }).waitFor();
  const instanceId = decodeURIComponent(new URL(page.url()).hash.replace('#iv/', ''));
  await shot(page, 'vi-phone-first');
  assert.deepEqual(await smallTargets(page), []);
  let screens = 0;
  await interview(page, { onScreen: async (step, s) => {
    screens = step;
    if (step === 5) {
      await shot(page, 'vi-phone-question');
      assert.deepEqual(await axe(page), []);
    }
    if (s.kind === 'end') await shot(page, 'vi-phone-review');
  } });
  assert.ok(screens > 20, `${screens} screens`);
  await page.getByRole('button', { name: /Complete/ }).click();
  await waitForStored(server.db, instanceId);
  await page.waitForFunction(() => /Waiting to be sent: 0/.test(document.getElementById('outbox-status').textContent));
  const stored = storedSubmissions(server.db).filter((s) => s.instance_id === instanceId);
  assert.equal(stored.length, 1);
  sameAnswers((await deviceAnswers(page, instanceId)).answers, stored[0].answers);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the form model endpoint answers an account that may fill the form', async () => {
  const anonymous = await fetch(`${server.base}/api/v1/forms/ngo_trafficking_roles/model`);
  assert.equal(anonymous.status, 401);
  const login = await fetch(`${server.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'kanha', password: 'kanha-pass-1' }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const model = await fetch(`${server.base}/api/v1/forms/ngo_trafficking_roles/model`, { headers: { cookie } });
  assert.equal(model.status, 200);
  const json = await model.json();
  assert.equal(json.ngosurvey_form, 1);
  assert.equal(json.settings.form_id, 'ngo_trafficking_roles');
  const unknown = await fetch(`${server.base}/api/v1/forms/no_such_form/model`, { headers: { cookie } });
  assert.ok([403, 404].includes(unknown.status), `status ${unknown.status}`);
  const version = await fetch(`${server.base}/api/v1/forms/ngo_trafficking_roles/model?version=1999`, { headers: { cookie } });
  assert.equal(version.status, 404);
});
