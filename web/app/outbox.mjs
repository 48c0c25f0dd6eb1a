// The outbox: finished interviews waiting to be sent, kept in IndexedDB until the
// server has answered 201 or 202 (stored). Sent again with exponential back-off
// (2 s, 4 s, 8 s ... up to 5 minutes, with jitter) while the network fails or the
// server answers 5xx or 429; the server's deduplication by instanceID makes a
// repeated send harmless (docs/server.md). A 4xx that retrying cannot change (400,
// 403, 404, 409, 413) stops the retries and is shown with the record.
import * as api from './api.mjs';
import * as store from './store.mjs';

const MIN_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;

const listeners = new Set();
let timer = null;
let running = null;

export function onChange(fn) {
  listeners.add(fn);
}

async function notify() {
  const waiting = await pending();
  for (const fn of listeners) fn(waiting);
}

// The records waiting to be sent.
export async function pending() {
  return store.all('outbox');
}

export function backoff(attempts) {
  const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * Math.random()));
}

// Puts a finished interview in the outbox and marks it finished, in one transaction.
export async function enqueue(interview, xml) {
  const record = {
    instance_id: interview.instance_id,
    form_id: interview.form_id,
    xml,
    attempts: 0,
    next_at: 0,
    error: '',
  };
  await store.write([
    { store: 'interviews', put: { ...interview, status: 'finished', updated_at: Date.now() } },
    { store: 'outbox', put: record },
  ]);
  await notify();
  flush();
}

function schedule(records) {
  clearTimeout(timer);
  const due = records.filter((r) => !r.error).map((r) => r.next_at);
  if (!due.length) return;
  const wait = Math.max(0, Math.min(...due) - Date.now());
  timer = setTimeout(() => flush(), wait);
}

async function sendOne(record, { force }) {
  if (!force && (record.error || record.next_at > Date.now())) return;
  try {
    await api.submit(record.xml);
    const interview = await store.get('interviews', record.instance_id);
    const ops = [{ store: 'outbox', delete: record.instance_id }];
    if (interview) {
      ops.push({ store: 'interviews', put: { ...interview, status: 'sent', updated_at: Date.now() } });
    }
    await store.write(ops);
  } catch (e) {
    const retry = !(e instanceof api.HttpError) || e.status >= 500 || e.status === 429 ||
                  e.status === 408 || e.status === 401;
    // The session ended: no request until the next log in (without a cookie the
    // server answers with the Digest challenge).
    if (e instanceof api.HttpError && e.status === 401) await store.setMeta('account', null);
    const attempts = record.attempts + 1;
    await store.put('outbox', {
      ...record,
      attempts,
      next_at: Date.now() + backoff(attempts),
      // 401: the session ended; sent again after the next log in.
      error: retry ? '' : e.message,
      last_failure: e.message,
    });
  }
}

// Sends what is due (everything with `force`, as the Send button does), one at a
// time; concurrent calls share the run in progress.
export function flush({ force = false } = {}) {
  if (running) return running;
  running = (async () => {
    try {
      // Only with a session: without one the server answers with the OpenRosa Digest
      // challenge (the browser's password dialog); sent after the next log in.
      const account = await store.getMeta('account');
      const records = account ? await pending() : [];
      for (const record of records) {
        if (typeof navigator !== 'undefined' && navigator.onLine === false) break;
        await sendOne(record, { force });
      }
    } finally {
      running = null;
      const left = await pending();
      schedule(left);
      for (const fn of listeners) fn(left);
    }
  })();
  return running;
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => flush({ force: true }));
}
