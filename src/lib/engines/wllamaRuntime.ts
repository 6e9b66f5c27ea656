// The real wllama runtime, in its own chunk so that only a run with the GGUF engine loads it. Its
// WebAssembly, and the compat build for browsers without JSPI or 64-bit memory (Firefox,
// Safari), are served from the app itself: nothing comes from a CDN, and it works offline.
import { CacheManager, Wllama } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import compatWasmUrl from '@wllama/wllama-compat/wasm/wllama.wasm?url';
import compatWorker from '@wllama/wllama-compat/wasm/wllama.js?raw';
import { backendsInLog } from './wllama';
import type { WllamaChatRequest, WllamaChunk, WllamaLike, WllamaOpenOptions } from './wllama';

/** wllama starts its own worker from a blob: URL, where a relative address means nothing. */
function absolute(url: string): string {
  return new URL(url, globalThis.location.href).href;
}

export async function openRuntime(options: WllamaOpenOptions): Promise<WllamaLike> {
  // llama.cpp's own log is read, not printed: it is the only place that says which backend took
  // the model (with WebGPU asked for, llama.cpp falls back to the CPU without an error).
  const backends = new Set<string>();
  const read = (...args: unknown[]): void => {
    for (const name of backendsInLog(args.map(String).join(' '))) backends.add(name);
  };
  const logger = {
    debug: read,
    log: read,
    warn: (...args: unknown[]) => {
      read(...args);
      console.warn(...args);
    },
    error: (...args: unknown[]) => {
      read(...args);
      console.error(...args);
    },
  };
  const wllama = new Wllama(
    { default: absolute(wasmUrl) },
    // Cached models load without asking the network; no seed here: a seed given at load
    // replaces every request's own.
    { allowOffline: true, suppressNativeLog: false, logger },
  );
  wllama.setCompat({ wasm: absolute(compatWasmUrl), worker: { code: compatWorker } });
  const params = {
    n_ctx: options.contextTokens,
    n_gpu_layers: options.gpuLayers,
    // One slot. With three, three requests served at once gave other replies than the same
    // seeds served alone (two of three differed): a dataset would depend on timing.
    n_parallel: 1,
    ...(options.threads === undefined ? {} : { n_threads: options.threads }),
    progressCallback: ({ loaded, total }: { loaded: number; total: number }) =>
      options.onDownload(loaded, total),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if ('file' in options.source) {
    const { file, name } = options.source;
    const named = file instanceof File ? file : new File([file], name);
    await wllama.loadModel([named], params);
  } else {
    await wllama.loadModelFromUrl(options.source.url, params);
  }
  return {
    createChatCompletion: (request: WllamaChatRequest) =>
      wllama.createChatCompletion(request) as Promise<AsyncIterable<WllamaChunk>>,
    getChatTemplate: () => wllama.getChatTemplate(),
    getNumThreads: () => wllama.getNumThreads(),
    getBackends: () => [...backends],
    exit: () => wllama.exit(),
  };
}

/** Deletes every GGUF model wllama keeps in this browser. */
export async function clearGgufCache(): Promise<void> {
  const wllama = new Wllama({ default: absolute(wasmUrl) });
  await wllama.modelManager.clear();
}

/** Keeps a .gguf the user picked in the browser's model cache, where a run (and its resume) reads it. */
export async function storeLocalGguf(file: File, key: string): Promise<void> {
  const cache = new CacheManager();
  await cache.write(await cache.getNameFromURL(key), file.stream(), {
    etag: `local-${file.size}-${file.lastModified}`,
    originalSize: file.size,
    originalURL: key,
  });
}

/** The kept copy of a picked .gguf, or null when this browser no longer has it. */
export async function readLocalGguf(key: string): Promise<Blob | null> {
  return new CacheManager().open(key);
}
