// Headers the service worker adds to what it serves, since a static host rarely lets the app set
// any.
// - Cross-origin isolation. Threads (llama.cpp's, onnxruntime's) need SharedArrayBuffer, which a
//   page has only when its document and its workers are served with COOP `same-origin` and COEP
//   `require-corp`. From the first visit the worker controls, the page is isolated. The cost: a
//   cross-origin resource loaded without CORS needs a Cross-Origin-Resource-Policy header. The app
//   loads none: models, model libraries and endpoints are fetched with CORS, and fonts, styles and
//   scripts are its own.
// - The content security policy as a header. The <meta> tag in index.html covers the page only;
//   a worker takes its policy from its own script's response, so without the header the pipeline
//   worker would run under none.
import { CONTENT_SECURITY_POLICY } from '../../csp';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export const SERVED_HEADERS: Readonly<Record<string, string>> = {
  ...ISOLATION_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
};

/**
 * The response with SERVED_HEADERS added. An opaque or error response (status 0) can't be
 * rebuilt and needs no headers (nothing isolates through it); it is returned as it is.
 */
export function withServedHeaders(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') {
    return response;
  }
  const headers = new Headers(response.headers);
  let changed = false;
  for (const [name, value] of Object.entries(SERVED_HEADERS)) {
    if (headers.get(name) === value) continue;
    headers.set(name, value);
    changed = true;
  }
  if (!changed) return response;
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * How many threads llama.cpp gets: one without isolation (there are no others), else half the
 * logical cores, about the physical ones. Never all of them: llama.cpp's threads wait for each
 * other by spinning, and a thread that shares its core with the page, the pipeline or the embedder
 * stalls the rest. On two cores busy with other work, two threads decoded at 0.2–0.7 tokens/s
 * where one decoded at 5–7.
 */
export function computeThreads(isolated: boolean, logicalCores: number | undefined): number {
  if (!isolated || logicalCores === undefined || !Number.isFinite(logicalCores)) return 1;
  return Math.max(1, Math.floor(logicalCores / 2));
}
