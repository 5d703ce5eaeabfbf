/**
 * Jejak's service worker (the build fills in the version and the asset list). It keeps the app shell only:
 * the page and its hashed scripts and styles, nothing the API answers. Personal data never enters the
 * Cache Storage; the app seals what it keeps (offline.ts). Requests outside /app/ (the API) pass through.
 *
 * - install: the shell of this version is fetched and cached whole, so the first offline visit works;
 * - activate: the shells of older versions are deleted;
 * - the page: from the network when it answers within 3 s (it names the current assets), else the cached one;
 * - an asset: from the cache (its name changes whenever its content does), else the network.
 */
const VERSION = '__VERSION__';
const ASSETS = __ASSETS__;
const SHELL = `jejak-shell-${VERSION}`;
const PAGE = '/app/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll([PAGE, '/app/manifest.webmanifest', '/app/icon.svg', ...ASSETS.map((a) => `/app/${a}`)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('jejak-shell-') && name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function page(request) {
  const cache = await caches.open(SHELL);
  try {
    const answer = await Promise.race([fetch(request), new Promise((_, reject) => setTimeout(() => reject(new Error('slow')), 3000))]);
    if (answer.ok) await cache.put(PAGE, answer.clone());
    return answer;
  } catch {
    return (await cache.match(PAGE, { ignoreVary: true })) ?? Response.error();
  }
}

// Vary is ignored: a deployment with CORS origins answers with `Vary: Origin`, and a module script asks with
// an Origin header while the install did not; the files are the same.
async function asset(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/app/')) return;
  if (event.request.mode === 'navigate') event.respondWith(page(event.request));
  else if (url.pathname.startsWith('/app/assets/') || url.pathname === '/app/manifest.webmanifest' || url.pathname === '/app/icon.svg')
    event.respondWith(asset(event.request));
});
