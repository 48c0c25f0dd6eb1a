// The HTML tables in a real browser: render_fixture writes the page, headless
// Debian Chromium (driven by playwright-core, never a downloaded browser) opens it
// from a file: URL, and the tests check that it makes no network request, breaks no
// Content-Security-Policy rule, lays out its tables and SVG charts at a visible
// size, and renders Khmer with a font that has Khmer glyphs. A full-page screenshot
// is saved next to the HTML for people to look at.
//
// Environment: RENDER_FIXTURE (required), OUT_DIR (default: ../../build/browser).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = process.env.OUT_DIR ?? path.join(here, '..', '..', 'build', 'browser');
const htmlPath = path.join(outDir, 'report_tables.html');
const screenshotPath = path.join(outDir, 'report_tables.png');
const pageUrl = pathToFileURL(htmlPath).href;

let browser;
let page;
const requests = [];
const consoleProblems = [];

before(async () => {
  assert.ok(process.env.RENDER_FIXTURE, 'RENDER_FIXTURE must name the render_fixture binary');
  mkdirSync(outDir, { recursive: true });
  execFileSync(process.env.RENDER_FIXTURE, [htmlPath, 'html'], { stdio: 'inherit' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      consoleProblems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
});

after(async () => {
  await browser?.close();
});

test('the page makes no request but its own file', () => {
  assert.deepEqual(requests, [pageUrl]);
  assert.deepEqual(consoleProblems, []);
});

test('every table is visible, with caption, banner and column bases', async () => {
  const tables = page.locator('table');
  const count = await tables.count();
  assert.equal(count, 2);
  for (let i = 0; i < count; i++) {
    const table = tables.nth(i);
    assert.ok(await table.isVisible(), `table ${i} visible`);
    const box = await table.boundingBox();
    assert.ok(box.width > 300 && box.height > 100, `table ${i} size ${box.width}x${box.height}`);
  }
  assert.equal(await page.locator('p.banner').count(), count);
  assert.match(await tables.first().locator('caption').innerText(), /Training and services/);
  const headers = await tables.first().locator('thead th').allInnerTexts();
  assert.ok(headers.some((h) => /Cambodia[\s\S]*N = 14/.test(h)), headers.join(' | '));
  assert.ok(headers.some((h) => /Việt Nam[\s\S]*N = 13/.test(h)), headers.join(' | '));
  // The label with markup characters arrives as text, not as a tag.
  assert.match(await tables.first().innerText(), /trafficking <law> & "victim identification"/);
  assert.equal(await page.locator('law').count(), 0);
});

test('every chart has a size, bars, whiskers and an accessible name', async () => {
  const charts = page.locator('svg.bar-chart');
  const count = await charts.count();
  assert.equal(count, 3); // training and services; services again, suppressed
  for (let i = 0; i < count; i++) {
    const chart = charts.nth(i);
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 100, `chart ${i} size`);
    assert.equal(await chart.getAttribute('role'), 'img');
    const labelledBy = (await chart.getAttribute('aria-labelledby')).split(' ');
    for (const id of labelledBy) {
      assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `label ${id}`);
    }
    const bars = chart.locator('rect.bar');
    assert.ok((await bars.count()) > 0);
    for (const bar of await bars.all()) {
      const b = await bar.boundingBox();
      assert.ok(b.height > 5 && b.width >= 0.5, 'bar drawn');
      // Bars stay inside their chart.
      assert.ok(b.x >= box.x && b.x + b.width <= box.x + box.width + 0.5);
    }
    assert.ok((await chart.locator('path.whisker').count()) > 0);
  }
  // The suppressed table draws "s" instead of a bar for its hidden cells.
  assert.ok((await charts.nth(2).locator('text.suppressed').count()) > 0);
});

test('Khmer and Vietnamese text render with real glyphs', async () => {
  // With no font covering a script, every character is drawn as the same
  // missing-glyph box: two different letters drawn in the page's font must differ.
  const glyphs = await page.evaluate(() => {
    const family = getComputedStyle(document.body).fontFamily;
    const draw = (text) => {
      const canvas = document.createElement('canvas');
      canvas.width = 80;
      canvas.height = 80;
      const context = canvas.getContext('2d');
      context.font = `48px ${family}`;
      context.fillText(text, 10, 60);
      const data = context.getImageData(0, 0, 80, 80).data;
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) inked += data[i] > 0 ? 1 : 0;
      return { pixels: Array.from(data).join(','), inked };
    };
    const [ka, nga, a, e] = ['ក', 'ង', 'ặ', 'ễ'].map(draw);
    return {
      khmerDistinct: ka.pixels !== nga.pixels,
      vietnameseDistinct: a.pixels !== e.pixels,
      inked: Math.min(ka.inked, nga.inked, a.inked, e.inked),
    };
  });
  assert.ok(glyphs.inked > 20, 'letters are drawn');
  assert.ok(glyphs.khmerDistinct, 'Khmer letters have their own glyphs (install fonts-noto-core)');
  assert.ok(glyphs.vietnameseDistinct, 'Vietnamese letters have their own glyphs');
  const th = page.locator('th', { hasText: 'ជំនួយផ្នែកច្បាប់' }).first();
  assert.ok(await th.isVisible());
});

test('screenshot saved for review', async () => {
  await page.screenshot({ path: screenshotPath, fullPage: true });
  assert.ok(statSync(screenshotPath).size > 10000);
});
