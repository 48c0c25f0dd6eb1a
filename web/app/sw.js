// The service worker: keeps the app, the engine and the fonts in a cache named by
// the build (so that a new build replaces them whole), and the forms' models as the
// server last sent them. Pages and engine: from the cache first (offline by
// construction); the forms list and models: from the network, the cache when it
// fails. Submissions and sessions are never cached: the outbox (IndexedDB) keeps
// what is waiting. The list of files is written by web/app/build.
const BUILD = '__BUILD__';
const FILES = __FILES__;
const APP_CACHE = `ngosurvey-app-${BUILD}`;
const FORMS_CACHE = 'ngosurvey-forms';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(APP_CACHE);
    await cache.addAll(FILES);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('ngosurvey-app-') && name !== APP_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isFormData(url) {
  return url.pathname === '/api/v1/forms' || /^\/api\/v1\/forms\/[^/]+\/model$/.test(url.pathname);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isFormData(url)) {
    event.respondWith((async () => {
      const cache = await caches.open(FORMS_CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      } catch (e) {
        const cached = await cache.match(request);
        if (cached) return cached;
        throw e;
      }
    })());
    return;
  }
  if (url.pathname.startsWith('/web/')) {
    event.respondWith((async () => {
      const cache = await caches.open(APP_CACHE);
      const key = url.pathname === '/web/' ? '/web/index.html' : url.pathname;
      const cached = await cache.match(key);
      if (cached) return cached;
      return fetch(request);
    })());
  }
});
