// The collection server (docs/server.md), from the page: a browser session (cookie
// + the CSRF token every state-changing request carries as X-CSRF-Token), the
// forms, their models for the engine, and OpenRosa submissions.
import { getMeta, setMeta } from './store.mjs';

export class HttpError extends Error {
  constructor(status, text) {
    super(`HTTP ${status}: ${text}`);
    this.status = status;
  }
}

async function csrf() {
  const account = await getMeta('account');
  return account ? account.csrf_token : '';
}

async function call(method, url, { json, body, headers = {} } = {}) {
  const h = { ...headers };
  if (method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = await csrf();
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const response = await fetch(url, { method, headers: h, body, credentials: 'same-origin' });
  if (!response.ok) throw new HttpError(response.status, (await response.text()).slice(0, 300));
  return response;
}

// Logs in; keeps who the account is and its CSRF token on the device.
export async function logIn(user, password) {
  const r = await call('POST', '/api/v1/session', { json: { user, password } });
  const body = await r.json();
  const account = {
    user: body.user || user,
    role: body.role || '',
    csrf_token: body.csrf_token || body.csrf || '',
  };
  await setMeta('account', account);
  return account;
}

export async function logOut() {
  try {
    await call('DELETE', '/api/v1/session');
  } finally {
    await setMeta('account', null);
  }
}

// {forms: [{form_id, title, version, may_submit, may_read, ...}]}
export async function forms() {
  const r = await call('GET', '/api/v1/forms');
  return (await r.json()).forms || [];
}

// The form model JSON (docs/formats/form-json.md) of a published version, as text.
export async function formModel(formId, version) {
  const q = version ? `?version=${encodeURIComponent(version)}` : '';
  const r = await call('GET', `/api/v1/forms/${encodeURIComponent(formId)}/model${q}`);
  return r.text();
}

// One OpenRosa submission: the instance XML as xml_submission_file. Resolves with
// the HTTP status (201 or 202); throws HttpError or a network TypeError.
export async function submit(xml) {
  const data = new FormData();
  data.append('xml_submission_file', new Blob([xml], { type: 'text/xml' }), 'submission.xml');
  const r = await call('POST', '/submission', {
    body: data,
    headers: { 'X-OpenRosa-Version': '1.0' },
  });
  return r.status;
}

export async function getJson(url) {
  return (await call('GET', url)).json();
}

export async function postJson(url, json) {
  return (await call('POST', url, { json })).json();
}

export async function putJson(url, json) {
  return (await call('PUT', url, { json })).json();
}
