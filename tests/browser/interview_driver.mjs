// Drives the browser app's interview pages through what a user sees and the
// accessible names scripts may rely on (issue 16): every question of a screen is
// answered by rules, not a script per form (the same rules as tests/wasm's native
// transcripts: plausible values in turn until the form's constraints accept one),
// then "Next"; at a repeat's prompt one instance is added ("Add") and then "Next"
// goes on; at the end "Complete".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const NUMBERS = ['5', '10', '1', '3', '25', '100', '2000', '2015', '0'];
const DECIMALS = ['2.5', '10', '100', '0.5', '0'];
const DATES = ['2020-03-15', '2010-06-01', '2000-01-01'];
const TEXTS = ['KH07', 'VN12', 'Phnom Penh', 'Answer'];

// The questions of the screen shown, as the page's DOM has them.
export function describeScreen(page) {
  return page.evaluate(() => {
    const main = document.getElementById('main');
    const screen = document.getElementById('screen');
    const counter = main.querySelector('.counter')?.textContent ?? '';
    if (!screen) {
      return { kind: main.querySelector('.review') ? 'end' : 'repeat', counter,
        heading: main.querySelector('h1')?.textContent ?? '' };
    }
    const questions = [...screen.querySelectorAll('.question')].map((q) => {
      const radios = q.querySelectorAll('input[type=radio]').length;
      const boxes = q.querySelectorAll('input[type=checkbox]').length;
      const input = q.querySelector('input[type=text], input[type=date], input[type=time], input[type=datetime-local], textarea');
      const label = (q.querySelector('legend, .qlabel')?.textContent ?? '').replace(/\*$/, '');
      return {
        id: q.id,
        label,
        radios,
        boxes,
        text: input ? { type: input.type, inputmode: input.getAttribute('inputmode') || '' } : null,
        error: !!q.querySelector('.error'),
        state: q.querySelector('.state')?.textContent ?? '',
      };
    });
    return { kind: 'questions', counter, questions, topError: !!main.querySelector(':scope > .error') };
  });
}

export async function idle(page) {
  await page.waitForFunction(() => document.body.dataset.busy !== '1' && document.body.dataset.ready === 'true');
}

function candidates(q) {
  if (q.text.inputmode === 'numeric') return NUMBERS;
  if (q.text.inputmode === 'decimal') return DECIMALS;
  if (q.text.type === 'date') return DATES;
  return TEXTS;
}

async function fill(page, q, attempt) {
  const group = page.locator(`#${q.id}`);
  if (q.radios) {
    await group.locator('input[type=radio]').nth(attempt % q.radios).check();
  } else if (q.boxes) {
    const boxes = group.locator('input[type=checkbox]');
    const k = attempt % q.boxes;
    for (let i = 0; i < q.boxes; i++) {
      if (i === k) await boxes.nth(i).check();
      else await boxes.nth(i).uncheck();
    }
  } else if (q.text) {
    const list = candidates(q);
    await group.locator('input, textarea').first().fill(list[attempt % list.length]);
  }
  await idle(page);
}

// Answers screens until the end screen (or `until(step)` is true); returns the number
// of screens passed. `onScreen(step, screen)` runs before each screen is answered.
export async function interview(page, { onScreen, until, tries = new Map(), maxSteps = 600 } = {}) {
  for (let step = 0; step < maxSteps; step++) {
    await idle(page);
    if (until && (await until(step))) return step;
    const s = await describeScreen(page);
    if (onScreen) await onScreen(step, s);
    if (s.kind === 'end') return step;
    if (s.kind === 'repeat') {
      const key = `repeat:${s.heading.replace(/\d+/g, '')}`;
      const added = tries.get(key) || 0;
      tries.set(key, added + 1);
      if (added < 1) await page.getByRole('button', { name: /Add/ }).click();
      else await page.getByRole('button', { name: /Next/ }).click();
      continue;
    }
    for (const q of s.questions) {
      if (!q.radios && !q.boxes && !q.text) continue;
      if (q.state) continue;  // refused / don't know already
      const key = `${s.counter}|${q.label}`;
      await fill(page, q, tries.get(key) || 0);
    }
    await page.getByRole('button', { name: /Next/ }).click();
    await idle(page);
    const after = await describeScreen(page);
    const stuck = after.kind === 'questions' && after.questions.some((q) => q.error);
    if (stuck || after.topError) {
      for (const q of after.questions) {
        const key = `${s.counter}|${q.label}`;
        if (q.error || (!stuck && after.topError)) tries.set(key, (tries.get(key) || 0) + 1);
        if ((tries.get(key) || 0) > 40) throw new Error(`no value is accepted for "${q.label}"`);
      }
    }
  }
  throw new Error('the interview did not reach its end');
}

// axe-core's WCAG 2.1 A and AA checks of the page as it is: the violations.
export async function axe(page) {
  await page.evaluate(`${AXE_SOURCE}\n;0`);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
}

// Controls smaller than 44x44 CSS px (buttons, links, radios' and checkboxes' labels,
// inputs, selects) that are visible.
export function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const e of document.querySelectorAll('button, a[href], select, input:not([type=radio]):not([type=checkbox]), label.choice')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < 44 || r.height < 44) out.push(`${e.tagName.toLowerCase()} "${(e.textContent || e.id).trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    return out;
  });
}
