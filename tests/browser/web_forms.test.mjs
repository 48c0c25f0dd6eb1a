// ODK Web Forms (npm @getodk/web-forms) against a real `ngosurvey serve` (issue 15, "done
// when"), in Debian's Chromium through playwright-core. The page (web_forms/page.mjs,
// bundled here with Vue by esbuild into a temporary web root that serve serves) loads a
// published form's XForm from the server and posts what Web Forms hands over on "Send"
// to POST /submission with the browser session; the submission is then read back
// through GET /api/v1/forms/ID/submissions with the answers typed. The project's own
// XForms (examples/ngo_profile.xlsx and the study instrument) must load in Web Forms
// without an error. Screenshots in OUT_DIR.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { SOURCE_DIR, startServer } from './app_util.mjs';

const OUT_DIR = process.env.OUT_DIR || '/tmp/ngosurvey-browser/web-forms';
mkdirSync(OUT_DIR, { recursive: true });
const HERE = new URL('.', import.meta.url).pathname;

let root;
let server;
let browser;

// A SYNTHETIC form with the usual question types, made from CSV by the project's tool.
function demoForm(dir) {
  const csv = join(dir, 'csv');
  mkdirSync(csv);
  writeFileSync(join(csv, 'survey.csv'), 'type,name,label\n' +
    'text,org_name,Organisation name\ninteger,staff,Staff\ndecimal,budget,Budget (USD)\n' +
    'select_one country,country,Country\nselect_multiple sector,sectors,Sectors\n' +
    'date,visit_date,Date of the visit\n');
  writeFileSync(join(csv, 'choices.csv'), 'list_name,name,label\ncountry,kh,Cambodia\n' +
    'country,vn,Viet Nam\nsector,health,Health\nsector,legal,Legal aid\nsector,shelter,Shelter\n');
  writeFileSync(join(csv, 'settings.csv'), 'form_id,version,form_title\nwf_demo,1,Web Forms demo (synthetic)\n');
  const xlsx = join(dir, 'wf_demo.xlsx');
  return import('node:child_process').then(({ execFileSync }) => {
    execFileSync('/usr/bin/python3', [join(SOURCE_DIR, 'tools/xlsform-from-csv'), csv, xlsx]);
    return xlsx;
  });
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'ngosurvey-web-forms-'));
  const webRoot = join(root, 'web');
  mkdirSync(webRoot);
  copyFileSync(join(HERE, 'web_forms/index.html'), join(webRoot, 'index.html'));
  await build({
    entryPoints: [join(HERE, 'web_forms/page.mjs')],
    bundle: true,
    format: 'esm',
    minify: true,
    outfile: join(webRoot, 'web-forms-page.js'),
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    logLevel: 'error',
  });
  const demo = await demoForm(root);
  server = await startServer({
    forms: [demo, 'examples/ngo_profile.xlsx', 'study/instrument.xlsx'],
    users: [
      { name: 'sokha', role: 'interviewer', password: 'sokha-pass-1' },
      { name: 'lan', role: 'supervisor', password: 'lan-pass-22' },
    ],
    webRoot,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

// A browser context logged in as `user` (POST /api/v1/session: the session cookie).
async function loggedIn(user, password) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  const login = await context.request.post(`${server.base}/api/v1/session`, { data: { user, password } });
  assert.equal(login.status(), 200, `login of ${user}`);
  return context;
}

async function openForm(context, formId) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Anything the server's content-security policy blocks (Web Forms' embedded fonts
  // were, until font-src allowed data: URIs) is a problem too.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('response', (r) => {
    // The favicon is the only file the page may miss (the web root has none).
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${server.base}/?form=${formId}`);
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 60000 });
  const host = await page.evaluate(() => window.webFormsHost);
  assert.equal(host.status, 'mounted', `${formId}: ${host.errors.join('\n')}`);
  return { page, problems };
}

const question = (page, label) => page.locator('.question-container').filter({ hasText: label });

test('Web Forms loads a published form from serve and submits to POST /submission', async () => {
  const context = await loggedIn('sokha', 'sokha-pass-1');
  const { page, problems } = await openForm(context, 'wf_demo');
  await page.getByLabel('Organisation name').fill('Friends of the synthetic NGO');
  await question(page, 'Staff').locator('input').pressSequentially('12');
  await question(page, 'Budget').locator('input').pressSequentially('2500.5');
  await page.getByText('Viet Nam').click();
  await page.getByText('Legal aid').click();
  await page.getByText('Shelter').click();
  const date = question(page, 'Date of the visit').locator('input');
  await date.click();
  await date.pressSequentially('11/30/2026');
  await page.keyboard.press('Escape');
  await page.getByLabel('Organisation name').click();
  await page.screenshot({ path: join(OUT_DIR, 'wf_demo-filled.png'), fullPage: true });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForFunction(() => window.webFormsHost.submissions.length > 0, null, { timeout: 30000 });
  const host = await page.evaluate(() => window.webFormsHost);
  const sent = host.submissions[0];
  assert.equal(sent.status, 201, `POST /submission: ${sent.body}`);
  assert.match(sent.body, /<OpenRosaResponse/);
  const iid = /<instanceID>([^<]+)<\/instanceID>/.exec(sent.xml)[1];
  assert.match(iid, /^uuid:[0-9a-f-]{36}$/);
  assert.deepEqual(problems, []);

  // Read back through the JSON API as the supervisor: the answers typed in Web Forms.
  const lan = await loggedIn('lan', 'lan-pass-22');
  const r = await lan.request.get(`${server.base}/api/v1/forms/wf_demo/submissions`);
  assert.equal(r.status(), 200);
  const { submissions } = await r.json();
  assert.equal(submissions.length, 1);
  const s = submissions[0];
  assert.equal(s.instance_id, iid);
  assert.equal(s.submitted_by, 'sokha');
  const answers = JSON.stringify(s.answers);
  for (const want of ['Friends of the synthetic NGO', '"12"', '"2500.5"', '"vn"', 'legal shelter', '2026-11-30']) {
    assert.ok(answers.includes(want), `answer ${want} missing from ${answers}`);
  }
  await lan.close();

  // Sent again (a retry): the server keeps one copy and answers 202.
  const again = await page.evaluate(async ({ xml, token }) => {
    const data = new FormData();
    data.append('xml_submission_file', new Blob([xml], { type: 'text/xml' }), 'submission.xml');
    const res = await fetch('/submission', { method: 'POST', body: data, headers: { 'X-CSRF-Token': token } });
    return res.status;
  }, { xml: sent.xml, token: (await (await context.request.get(`${server.base}/api/v1/session`)).json()).csrf_token });
  assert.equal(again, 202);
  await context.close();
});

for (const [formId, title] of [
  ['ngo_profile', 'NGO profile'],
  ['ngo_trafficking_roles', 'Roles of NGOs in Combating the Trafficking of Women and Children in Cambodia and Viet Nam'],
]) {
  test(`Web Forms loads our XForm of ${formId} without an error`, async () => {
    const context = await loggedIn('sokha', 'sokha-pass-1');
    const { page, problems } = await openForm(context, formId);
    await page.getByText(title).first().waitFor();
    assert.equal(await page.locator('.form-load-failure-dialog').count(), 0);
    const host = await page.evaluate(() => window.webFormsHost);
    assert.deepEqual(host.errors, []);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(OUT_DIR, `${formId}.png`) });
    await context.close();
  });
}
