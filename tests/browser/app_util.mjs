// What the browser app's tests share: the CLI, a real `ngosurvey serve` on loopback
// (a fresh SQLite store, forms published and accounts made by the CLI; nothing here
// fakes the server), the web root (built by web/app/build) served alone, and a form
// put on the device.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGOSURVEY = process.env.NGOSURVEY;
export const WEB_ROOT = process.env.WEB_ROOT;
export const SOURCE_DIR = new URL('../..', import.meta.url).pathname;

export function cli(args, input) {
  return execFileSync(NGOSURVEY, args, { input, encoding: 'utf8', cwd: SOURCE_DIR });
}

export async function startServer({ forms = ['study/instrument.xlsx'], users = [], webRoot = WEB_ROOT } = {}) {
  if (!NGOSURVEY || !webRoot) throw new Error('NGOSURVEY and WEB_ROOT must be set (CTest sets them)');
  const dir = mkdtempSync(join(tmpdir(), 'ngosurvey-web-'));
  const db = join(dir, 'survey.db');
  for (const f of forms) cli(['form', 'publish', '--db', db, f]);
  for (const u of users) {
    cli(['users', 'add', '--db', db, u.name, '--role', u.role, '--password-stdin'], `${u.password}\n`);
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const proc = spawn(NGOSURVEY, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
      '--web-root', webRoot], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    proc.stderr.on('data', (d) => { log += d; });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) break;
      try {
        const r = await fetch(`${base}/healthz`);
        if (r.ok) {
          return {
            base, db, dir, proc,
            log: () => log,
            async stop() {
              proc.kill('SIGTERM');
              await new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.on('exit', resolve)));
              rmSync(dir, { recursive: true, force: true });
            },
          };
        }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    if (!/address|in use|bind/i.test(log)) throw new Error(`serve did not start:\n${log}`);
  }
  throw new Error('no free port for serve');
}

// The stored submissions, as `submissions list --format json` prints them.
export function storedSubmissions(db) {
  return JSON.parse(cli(['submissions', 'list', '--db', db, '--format', 'json']));
}

// Waits until the server's store holds submission `instanceId` and returns it (as
// storedSubmissions lists it). A page's "Waiting to be sent: 0" is no proof: right
// after "Complete" it may still be the count from before the interview was queued.
export async function waitForStored(db, instanceId, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = storedSubmissions(db).filter((s) => s.instance_id === instanceId);
    if (found.length) return found;
    if (Date.now() > until) throw new Error(`${instanceId} did not arrive within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The web root's files alone, on loopback (node's http; GET /web/PATH, `/web/` as
// index.html), for the tests of what the app does on the device without a
// collection server: its forms put in IndexedDB as the app keeps them.
export async function startStatic(root) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize } = await import('node:path');
  const types = {
    '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript', '.js': 'text/javascript',
    '.css': 'text/css', '.wasm': 'application/wasm', '.webmanifest': 'application/manifest+json',
    '.svg': 'image/svg+xml', '.png': 'image/png', '.ttf': 'font/ttf', '.json': 'application/json',
  };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const rel = path === '/web/' ? 'index.html' : path.startsWith('/web/') ? path.slice(5) : null;
    if (rel === null || normalize(rel).startsWith('..')) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200, { 'Content-Type': types[extname(rel)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

// Puts a form model in the app's IndexedDB as the app does after fetching it.
export async function putForm(page, { form_id, version, title, model }) {
  await page.evaluate((f) => new Promise((resolve, reject) => {
    const req = indexedDB.open('ngosurvey');
    req.onsuccess = () => {
      const tx = req.result.transaction('forms', 'readwrite');
      tx.objectStore('forms').put({ key: `${f.form_id}@${f.version}`, ...f, fetched_at: Date.now() });
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }), { form_id, version, title, model });
}
