/// <reference lib="webworker" />
// The service worker: the app shell precached (a visited page opens, browses and exports with no
// network), onnxruntime's and llama.cpp's WebAssembly cached on first use, every response it
// serves given the isolation and content security headers (src/lib/sw/headers.ts), and a new
// version waiting until the page asks for it.
import type { WorkboxPlugin } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { withServedHeaders } from './lib/sw/headers';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

const servedHeaders: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withServedHeaders(response),
};

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

addPlugins([servedHeaders]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /\/ort-wasm[^/]*$/.test(url.pathname),
  new CacheFirst({
    cacheName: 'crescent-onnxruntime',
    plugins: [new ExpirationPlugin({ maxEntries: 6 }), servedHeaders],
  }),
);
// llama.cpp's WebAssembly for the GGUF engine (10 MB, 19 MB for the compat build).
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /\/wllama[^/]*\.wasm$/.test(url.pathname),
  new CacheFirst({
    cacheName: 'crescent-llama-cpp',
    plugins: [new ExpirationPlugin({ maxEntries: 4 }), servedHeaders],
  }),
);
