// The real Services of the page: IndexedDB, the pipeline worker, WebGPU, web-llm's model cache
// and the network. Everything the interface touches outside itself passes through here.
import { CrescentDb } from '../db/schema';
import { loadCatalog } from '../engines/catalog';
import { listModels } from '../engines/openaiChat';
import { preflight } from '../engines/preflight';
import { createPipelineClient } from '../worker/client';
import type { PipelinePort, Services } from './services';

/** web-llm keeps downloaded weights in this Cache Storage bucket, keyed by their URLs. */
const WEBLLM_MODEL_CACHE = 'webllm/model';

async function cachedModels(ids: readonly string[]): Promise<Set<string>> {
  if (typeof caches === 'undefined' || !(await caches.has(WEBLLM_MODEL_CACHE))) return new Set();
  const cache = await caches.open(WEBLLM_MODEL_CACHE);
  const urls = (await cache.keys()).map((request) => request.url);
  return new Set(ids.filter((id) => urls.some((url) => url.includes(`/${id}/`))));
}

export function createServices(): Services {
  const db = new CrescentDb();
  let pipeline: PipelinePort | null = null;
  return {
    db,
    pipeline: () => (pipeline ??= createPipelineClient()),
    preflight: () => preflight(),
    deviceMemoryGB: () => (navigator as { deviceMemory?: number }).deviceMemory,
    loadCatalog,
    cachedModels,
    listEndpointModels: (baseUrl, apiKey) =>
      listModels({ baseUrl, apiKey: apiKey || undefined, pageOrigin: location.origin }),
  };
}
