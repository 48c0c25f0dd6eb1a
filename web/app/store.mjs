// The device's store (IndexedDB): what a closed tab or a reboot must not lose.
//   forms       {key: "FORM_ID@VERSION", form_id, version, title, model}   the form
//               models the engine reads; a version stays while a draft uses it
//   interviews  {instance_id, form_key, form_id, title, language, answers:{PATH:
//               {state, value}}, status: "draft" | "finished" | "sent", started_at,
//               updated_at}
//   outbox      {instance_id, form_id, xml, attempts, next_at, error}  finished
//               interviews waiting to be sent (outbox.mjs)
//   meta        {key, value}  the account (user, role, csrf token), the device id
// Every write is one transaction, and a promise that resolves once it is committed:
// the page says "saved" only then.

const DB_NAME = 'ngosurvey';
const DB_VERSION = 1;

let dbPromise = null;

function open() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('forms', { keyPath: 'key' });
      const iv = db.createObjectStore('interviews', { keyPath: 'instance_id' });
      iv.createIndex('status', 'status');
      db.createObjectStore('outbox', { keyPath: 'instance_id' });
      db.createObjectStore('meta', { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

function result(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function get(store, key) {
  const db = await open();
  return result(db.transaction(store).objectStore(store).get(key));
}

export async function all(store) {
  const db = await open();
  return result(db.transaction(store).objectStore(store).getAll());
}

export async function put(store, value) {
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value);
  return done(tx);
}

export async function remove(store, key) {
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  return done(tx);
}

// Several writes in one transaction: [{store, put: value} | {store, delete: key}].
export async function write(ops) {
  const db = await open();
  const names = [...new Set(ops.map((o) => o.store))];
  const tx = db.transaction(names, 'readwrite');
  for (const op of ops) {
    const s = tx.objectStore(op.store);
    if ('put' in op) s.put(op.put);
    else s.delete(op.delete);
  }
  return done(tx);
}

export async function getMeta(key) {
  const row = await get('meta', key);
  return row ? row.value : undefined;
}

export async function setMeta(key, value) {
  return put('meta', { key, value });
}

// Changes the engine handed out ({path, state, value} or {path, removed}) applied to
// an interview's answers.
export function applyChanges(answers, changes) {
  for (const c of changes) {
    if (c.removed) delete answers[c.path];
    else answers[c.path] = { state: c.state, value: c.value };
  }
  return answers;
}
