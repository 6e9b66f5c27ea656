// onnxruntime-web's runtime (the asyncify build that transformers.js's WebGPU-capable bundle
// loads), served and emitted by Vite from the app itself, so no file comes from a CDN.
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { OrtWasmPaths } from './transformersEmbedder';

/** Absolute URLs of the app's runtime files; undefined outside a page or worker (Node). */
export function appOrtWasmPaths(): OrtWasmPaths | undefined {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  if (!base) return undefined;
  return { mjs: new URL(ortMjsUrl, base).href, wasm: new URL(ortWasmUrl, base).href };
}
