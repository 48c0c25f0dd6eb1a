// Times the browser app in Debian's Chromium with the CPU throttled 4x through the
// DevTools protocol (Emulation.setCPUThrottlingRate, a low-end tablet), as issue 16
// asks (bench/web_app.sh runs it):
//   open   from the click on a form of the forms list (its model already on the
//          device, in IndexedDB, as the app keeps it) to its first question's label
//          painted: the engine reads and compiles the model, starts the interview,
//          and the page shows it
//   next   from the click on "Next" (the question answered) to the next question's
//          label painted: the engine's set + next, the IndexedDB save, the page
// "Painted" is the label's Element Timing renderTime (the app marks question labels
// with elementtiming); the click's time is its event's timeStamp, on the same clock.
// Each run is a fresh page (the engine's form cache empty). Medians over RUNS.
//   node bench/web_app.mjs BASE_URL FORM.json [RUNS] [SCREENS]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [base, formPath, runsText, screensText] = process.argv.slice(2);
const runs = Number(runsText || 10);
const screens = Number(screensText || 30);
const model = readFileSync(formPath, 'utf8');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });

// Records clicks' timeStamps and question labels' paint times in the page.
const PROBE = () => {
  window.__clicks = [];
  window.__paints = [];
  document.addEventListener('click', (e) => window.__clicks.push(e.timeStamp), true);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === 'question-label') window.__paints.push({ t: e.renderTime || e.loadTime, text: e.element?.textContent ?? '' });
    }
  }).observe({ type: 'element', buffered: false });
};

async function idle(page) {
  await page.waitForFunction(() => document.body.dataset.busy !== '1' && document.body.dataset.ready === 'true');
}

async function paintAfter(page, clickIndex, label) {
  const h = await page.waitForFunction(([i, want]) => {
    const click = window.__clicks[i];
    if (click === undefined) return null;
    const p = window.__paints.find((x) => x.t >= click && (!want || x.text !== want));
    return p ? p.t - click : null;
  }, [clickIndex, label], { polling: 10 });
  return h.jsonValue();
}

const open = [];
const next = [];
for (let run = 0; run < runs; run++) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${base}/web/index.html`);
  await idle(page);
  if (run === 0) {
    await page.evaluate((m) => new Promise((resolve, reject) => {
      const req = indexedDB.open('ngosurvey');
      req.onsuccess = () => {
        const tx = req.result.transaction('forms', 'readwrite');
        tx.objectStore('forms').put({ key: 'bench500@1', form_id: 'bench500', version: '1', title: 'Bench 500 (SYNTHETIC)', model: m, fetched_at: Date.now() });
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      };
    }), model);
    await page.reload();
    await idle(page);
  }
  await page.evaluate(PROBE);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.getByRole('button', { name: 'Bench 500 (SYNTHETIC)' }).click();
  open.push(await paintAfter(page, 0, null));
  await idle(page);
  for (let s = 0; s < screens; s++) {
    const before = await page.evaluate(() => {
      const q = document.querySelector('.question');
      return q ? q.querySelector('legend, .qlabel').textContent : '';
    });
    const radio = page.locator('.question input[type=radio]').first();
    const box = page.locator('.question input[type=checkbox]').first();
    const text = page.locator('.question input[type=text]').first();
    if (await radio.count()) await radio.check();
    else if (await box.count()) await box.check();
    else if (await text.count()) await text.fill(/numeric/.test(await text.getAttribute('inputmode') || '') ? '7' : 'an answer');
    await idle(page);
    const clicks = await page.evaluate(() => window.__clicks.length);
    await page.getByRole('button', { name: 'Next' }).click();
    next.push(await paintAfter(page, clicks, before));
    await idle(page);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await page.close();
}
await browser.close();
console.log(`open (click -> first label painted), 4x CPU throttling: median ${median(open).toFixed(1)} ms over ${runs} runs [${open.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`next (click -> next label painted), 4x CPU throttling: median ${median(next).toFixed(1)} ms over ${next.length} clicks`);
