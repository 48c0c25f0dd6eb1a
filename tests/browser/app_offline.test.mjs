// The browser app on the device (issue 16), in Debian's Chromium through
// playwright-core: the web root built by web/app/build served on loopback, the
// reference instrument's model put in IndexedDB as the app keeps a fetched form (the
// collection server's part, login, forms list and sending, is interview_app.test.mjs).
// A whole interview in Khmer on a 10-inch tablet (1280x800) with the network cut in
// the middle and the tab closed and reopened offline (the app from the service
// worker's cache, the draft resumed where it stopped), completed into the outbox
// ("Waiting to be sent: 1"); a whole interview in Vietnamese on a phone (390x844).
// Accessible names as the issue lists them, axe-core's WCAG 2.1 A/AA rules, 44x44 px
// targets, the shipped fonts, no request to another origin. Screenshots in OUT_DIR
// (1280x800, 800x1280, 390x844).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { axe, describeScreen, idle, interview, smallTargets } from './interview_driver.mjs';
import { cli, putForm, startStatic, WEB_ROOT } from './app_util.mjs';

const OUT_DIR = process.env.OUT_DIR || '/tmp/ngosurvey-browser';
mkdirSync(OUT_DIR, { recursive: true });
const TITLE = 'Roles of NGOs in Combating the Trafficking of Women and Children in Cambodia and Viet Nam';

let web;
let browser;
let model;
let tmp;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ngosurvey-app-'));
  cli(['form', 'model', 'study/instrument.xlsx', '-o', join(tmp, 'instrument.json')]);
  model = readFileSync(join(tmp, 'instrument.json'), 'utf8');
  web = await startStatic(WEB_ROOT);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
  if (web) await web.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function newContext(viewport) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow' });
  const foreign = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(web.base) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  return { context, foreign };
}

async function openApp(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${web.base}/web/index.html`);
  await idle(page);
  return { page, errors };
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`) });
}

async function waiting(page) {
  const text = await page.locator('#outbox-status').textContent();
  const m = /Waiting to be sent: (\d+)/.exec(text);
  return m ? Number(m[1]) : NaN;
}

function readStore(page, store, key) {
  return page.evaluate(([s, k]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('ngosurvey');
    req.onsuccess = () => {
      const get = req.result.transaction(s).objectStore(s).get(k);
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    };
  }), [store, key]);
}

async function withForm(context) {
  const { page, errors } = await openApp(context);
  await putForm(page, { form_id: 'ngo_trafficking_roles', version: '2026112501', title: TITLE, model });
  // Without an account the app shows the login; the forms list is one link away.
  await page.goto(`${web.base}/web/index.html#forms`);
  await idle(page);
  return { page, errors };
}

test('a Khmer interview on a tablet: offline, the tab closed and reopened, into the outbox', async () => {
  const { context, foreign } = await newContext({ width: 1280, height: 800 });
  let { page, errors } = await withForm(context);
  // The language switch, labelled "Language", its options by own and English name.
  await page.getByLabel('Language').selectOption({ label: 'ខ្មែរ (Khmer)' });
  await idle(page);
  assert.equal(await waiting(page), 0);
  assert.match(await page.locator('#outbox-status').textContent(), /^កំពុងរង់ចាំផ្ញើ៖ 0/);
  await shot(page, 'km-tablet-forms');
  assert.deepEqual(await axe(page), []);

  // The form, a button named by its title, starts a new interview at its first question.
  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  const next = page.getByRole('button', { name: 'បន្ទាប់ (Next)' });
  await next.waitFor();
  const instanceId = decodeURIComponent(new URL(page.url()).hash.replace('#iv/', ''));
  assert.match(instanceId, /^uuid:[0-9a-f-]{36}$/);
  const first = page.getByRole('group', { name: 'លេខកូដអង្គការ' });  // Organisation code, in Khmer
  await first.getByLabel('លេខកូដអង្គការ').waitFor();
  await first.getByRole('button', { name: 'បដិសេធ (Refuse)' }).waitFor();
  await first.getByRole('button', { name: "មិនដឹង (Don't know)" }).waitFor();
  // "Next" stays enabled: on the unanswered required question, the required message.
  await next.click();
  await idle(page);
  assert.equal(await first.getByRole('alert').count(), 1);
  // A value the form's constraint refuses: its message, in Khmer, and nothing saved.
  await first.getByLabel('លេខកូដអង្គការ').fill('xx');
  await next.click();
  await idle(page);
  assert.match(await first.getByRole('alert').textContent(), /[\u1780-\u17FF]/);
  assert.equal((await readStore(page, 'interviews', instanceId)).answers['grp_intro/org_id'], undefined);
  await shot(page, 'km-tablet-constraint');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await smallTargets(page), []);

  // Half the interview online, the network cut at the seventh screen, the tab closed
  // at the thirteenth.
  const tries = new Map();
  await interview(page, {
    tries,
    until: async (step) => step === 12,
    onScreen: async (step) => {
      if (step === 6) await context.setOffline(true);
      if (step === 8) {
        await shot(page, 'km-tablet-offline');
        await page.setViewportSize({ width: 800, height: 1280 });
        await shot(page, 'km-tablet-portrait');
        assert.deepEqual(await smallTargets(page), []);
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    },
  });
  const before = await readStore(page, 'interviews', instanceId);
  assert.ok(Object.keys(before.answers).length > 10);
  const where = (await describeScreen(page)).counter;
  await page.close();

  // Reopened offline: the app from the service worker's cache, the forms list, the
  // status, the draft; resumed where it stopped, nothing lost.
  ({ page, errors } = await openApp(context));
  await page.getByRole('button', { name: TITLE }).waitFor();
  assert.equal(await waiting(page), 0);
  assert.match(await page.locator('#outbox-status').textContent(), /គ្មានការតភ្ជាប់/);  // offline
  await shot(page, 'km-tablet-reopened-offline');
  await page.getByRole('button', { name: 'បន្ត (Resume)' }).click();
  await idle(page);
  assert.equal((await describeScreen(page)).counter, where);
  assert.deepEqual((await readStore(page, 'interviews', instanceId)).answers, before.answers);
  await interview(page, { tries });
  await shot(page, 'km-tablet-review');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'បញ្ចប់ (Complete)' }).click();
  await page.getByRole('button', { name: TITLE }).waitFor();
  await idle(page);
  assert.equal(await waiting(page), 1);
  await shot(page, 'km-tablet-waiting');
  const done = await readStore(page, 'interviews', instanceId);
  assert.equal(done.status, 'finished');
  const queued = await readStore(page, 'outbox', instanceId);
  assert.match(queued.xml, new RegExp(`<instanceID>${instanceId}</instanceID>`));
  assert.match(queued.xml, /<org_id>KH07<\/org_id>/);
  assert.ok(await page.evaluate(() => [...document.fonts].some((f) => f.family === 'Noto Sans Khmer' && f.status === 'loaded')));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Vietnamese interview on a phone', async () => {
  const { context, foreign } = await newContext({ width: 390, height: 844 });
  const { page, errors } = await withForm(context);
  await page.getByLabel('Language').selectOption({ label: 'Tiếng Việt (Vietnamese)' });
  await idle(page);
  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  await page.getByRole('button', { name: 'Tiếp theo (Next)' }).waitFor();
  await page.getByRole('button', { name: 'Quay lại (Back)' }).waitFor();
  await page.getByRole('button', { name: 'Lưu (Save)' }).waitFor();
  await shot(page, 'vi-phone-first');
  assert.deepEqual(await smallTargets(page), []);
  let screens = 0;
  let sawRepeat = false;
  await interview(page, {
    onScreen: async (step, s) => {
      screens = step;
      if (s.kind === 'repeat' && !sawRepeat) {
        sawRepeat = true;
        await page.getByRole('button', { name: 'Thêm (Add)' }).waitFor();
        await shot(page, 'vi-phone-repeat');
      }
      if (step === 5) {
        await shot(page, 'vi-phone-question');
        assert.deepEqual(await axe(page), []);
        assert.deepEqual(await smallTargets(page), []);
      }
      if (s.kind === 'end') await shot(page, 'vi-phone-review');
    },
  });
  assert.ok(screens > 20, `${screens} screens`);
  await page.getByRole('button', { name: /Complete/ }).click();
  await page.getByRole('button', { name: TITLE }).waitFor();
  await idle(page);
  assert.equal(await waiting(page), 1);
  assert.match(await page.locator('#outbox-status').textContent(), /^Đang chờ gửi: 1/);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});
