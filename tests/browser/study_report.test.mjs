// The study reports in a real browser at a desktop width (1280 px) and a phone's
// (390 px): `ngosurvey report` writes the reference study's and the example
// household study's pages, headless Debian Chromium opens them, and nothing may be
// cut or scroll sideways (the page's scroll width is the window's), every stacked
// cell of a narrow table is named by its column, and the page asks for nothing but
// itself. Screenshots are saved next to the HTML for people to look at.
//
// Environment: NGOSURVEY (the binary), SOURCE_DIR (the checkout), OUT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.SOURCE_DIR ?? path.join(here, '..', '..');
const outDir = path.join(process.env.OUT_DIR ?? path.join(sourceDir, 'build', 'browser'), 'study');
const studies = { reference: 'study', household: 'examples/household' };

let browser;
before(async () => {
  assert.ok(process.env.NGOSURVEY, 'NGOSURVEY must name the ngosurvey binary');
  for (const [name, dir] of Object.entries(studies)) {
    mkdirSync(path.join(outDir, name), { recursive: true });
    execFileSync(process.env.NGOSURVEY,
                 ['report', path.join(sourceDir, dir), '-o', path.join(outDir, name)],
                 { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

for (const name of Object.keys(studies)) {
  for (const width of [1280, 390]) {
    test(`${name} report at ${width} px: nothing cut, nothing sideways`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const requests = [];
      page.on('request', (request) => requests.push(request.url()));
      const url = pathToFileURL(path.join(outDir, name, 'report.html')).href;
      await page.goto(url, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      const { scroll, client, tables, wideTables } = await page.evaluate(() => {
        const client = document.documentElement.clientWidth;
        const tables = [...document.querySelectorAll('table')];
        const wideTables = tables
          .filter((t) => t.getBoundingClientRect().right > client + 0.5)
          .map((t) => (t.closest('section') ?? {}).id);
        return { scroll: document.documentElement.scrollWidth, client, tables: tables.length,
                 wideTables };
      });
      assert.ok(tables > 0, 'the report has tables');
      assert.deepEqual(wideTables, [], 'tables wider than the window');
      assert.equal(scroll, client, 'the page scrolls sideways');
      assert.deepEqual(requests, [url], 'the page asks for nothing but itself');
      if (width === 390) {
        // Stacked cells say which column they are: every data cell of a stacked table
        // that shows something carries its column's name.
        const unnamed = await page.evaluate(() =>
          [...document.querySelectorAll('.stack td')]
            .filter((td) => td.textContent.trim() !== '' && !td.dataset.label)
            .map((td) => td.textContent.trim()).slice(0, 5));
        assert.deepEqual(unnamed, []);
      }
      // The coordination network: its legend is text of a readable size at any width,
      // and the picture is never shrunk below 560 px (its 11 px labels stay 8 px or more;
      // on a phone it scrolls inside its own box, not the page).
      const network = await page.evaluate(() => {
        const figure = document.querySelector('figure.network');
        if (!figure) return null;
        const items = [...figure.querySelectorAll('ul.net-legend li')];
        return {
          items: items.length,
          smallest: Math.min(...items.map((li) => parseFloat(getComputedStyle(li).fontSize))),
          drawing: figure.querySelector('.net-drawing > svg').getBoundingClientRect().width,
          boxRight: figure.querySelector('.net-drawing').getBoundingClientRect().right,
          client: document.documentElement.clientWidth,
        };
      });
      if (name === 'reference') assert.ok(network, 'the reference report draws its network');
      if (network) {
        assert.ok(network.items >= 2, 'a legend entry per kind and the non-respondent');
        assert.ok(network.smallest >= 12, `legend text ${network.smallest} px`);
        assert.ok(network.drawing >= 560 - 0.5, `network drawn ${network.drawing} px wide`);
        assert.ok(network.boxRight <= network.client + 0.5, 'the network box fits the window');
      }
      await page.screenshot({ path: path.join(outDir, `${name}-${width}.png`), fullPage: false });
      await page.close();
    });
  }
}
