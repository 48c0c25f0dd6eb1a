// A form version replaced while an interview is open on a device (issue 16, "Bad
// input"), handled as ODK does: the draft keeps the version it was started with and
// is sent and stored under it, while a new interview takes the new version. Debian's
// Chromium through playwright-core against a real `ngosurvey serve`; the second
// version is published by the CLI into the server's store while the draft is open.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { idle, interview } from './interview_driver.mjs';
import { SOURCE_DIR, cli, startServer, storedSubmissions, waitForStored } from './app_util.mjs';

const TITLE = 'Version demo (synthetic)';

let dir;
let server;
let browser;

// A SYNTHETIC form in two versions: the second renames the first question's label
// and adds a question, so that the screens tell which version is being filled.
function versionForm(version) {
  const csv = join(dir, `v${version}`);
  mkdirSync(csv);
  const extra = version === 2 ? 'select_one yes_no,registered,Registered with the ministry\n' : '';
  writeFileSync(join(csv, 'survey.csv'), 'type,name,label\n' +
    `text,org_name,Organisation name (version ${version})\n` +
    `integer,staff,Staff\n${extra}`);
  writeFileSync(join(csv, 'choices.csv'), 'list_name,name,label\nyes_no,yes,Yes\nyes_no,no,No\n');
  writeFileSync(join(csv, 'settings.csv'), `form_id,version,form_title\nver_demo,${version},${TITLE}\n`);
  const xlsx = join(dir, `ver_demo_v${version}.xlsx`);
  execFileSync('/usr/bin/python3', [join(SOURCE_DIR, 'tools/xlsform-from-csv'), csv, xlsx]);
  return xlsx;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ngosurvey-versions-'));
  server = await startServer({
    forms: [versionForm(1)],
    users: [{ name: 'dara', role: 'interviewer', password: 'dara-pass-1' }],
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function sentAll(page) {
  await page.waitForFunction(() => /Waiting to be sent: 0/.test(document.getElementById('outbox-status').textContent));
}

test('a draft keeps its form version when a new one is published; a new interview takes the new one', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'allow' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/web/index.html`);
  await idle(page);
  await page.waitForURL(/#login/);
  await page.getByLabel('User').fill('dara');
  await page.getByLabel('Password').fill('dara-pass-1');
  await page.getByRole('button', { name: 'Log in' }).click();

  // Version 1 started: its first question answered, so the draft is on the device.
  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  await page.getByRole('textbox', { name: 'Organisation name (version 1)' }).fill('Synthetic NGO one');
  await page.getByRole('button', { name: 'Next' }).click();
  await idle(page);
  await page.getByRole('textbox', { name: 'Staff' }).waitFor();
  const draftId = decodeURIComponent(new URL(page.url()).hash.replace('#iv/', ''));
  assert.match(draftId, /^uuid:/);

  // Version 2 published on the server while the draft is open.
  cli(['form', 'publish', '--db', server.db, versionForm(2)]);

  // Back to the forms list (it fetches version 2), then the draft resumed: still
  // version 1's questions, and it is stored under version 1.
  await page.goto(`${server.base}/web/index.html#forms`);
  await idle(page);
  await page.getByRole('button', { name: 'Resume' }).click();
  await idle(page);
  await page.getByRole('textbox', { name: 'Staff' }).waitFor();
  await interview(page);
  assert.equal(await page.getByText('Registered with the ministry').count(), 0, 'the draft shows version 2');
  await page.getByRole('button', { name: /Complete/ }).click();
  await waitForStored(server.db, draftId);
  await sentAll(page);
  let stored = storedSubmissions(server.db).filter((s) => s.instance_id === draftId);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].version, '1');
  assert.equal(stored[0].answers.org_name.value, 'Synthetic NGO one');
  assert.equal(stored[0].answers.registered, undefined);

  // A new interview of the form: version 2.
  await page.getByRole('button', { name: TITLE }).click();
  await idle(page);
  await page.getByRole('textbox', { name: 'Organisation name (version 2)' }).waitFor();
  const newId = decodeURIComponent(new URL(page.url()).hash.replace('#iv/', ''));
  await interview(page);
  await page.getByRole('button', { name: /Complete/ }).click();
  await waitForStored(server.db, newId);
  await sentAll(page);
  stored = storedSubmissions(server.db).filter((s) => s.instance_id === newId);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].version, '2');
  assert.ok(stored[0].answers.registered, 'version 2 asked the new question');
  assert.deepEqual(errors, []);
  await context.close();
});
