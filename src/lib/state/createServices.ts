// The real Services of the page: IndexedDB, the pipeline worker, WebGPU, web-llm's model cache
// and the network. Everything the interface touches outside itself passes through here.
import { CrescentDb } from '../db/schema';
import { loadCatalog } from '../engines/catalog';
import { listModels } from '../engines/openaiChat';
import { preflight } from '../engines/preflight';
import { readServerSlots } from '../engines/serverSlots';
import { startNetworkRecorder } from '../network/recorder';
import { createPipelineClient } from '../worker/client';
import type { PipelinePort, Services } from './services';

/** Asks web-llm itself (loaded on demand, as for the catalog) which models are downloaded. */
async function cachedModels(ids: readonly string[]): Promise<Set<string>> {
  const { WebLLMChatEngine } = await import('../engines/webllm');
  const cached = await Promise.all(
    ids.map((id) => WebLLMChatEngine.isCached(id).catch(() => false)),
  );
  return new Set(ids.filter((_, i) => cached[i]));
}

export function createServices(): Services {
  const network = startNetworkRecorder();
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
    endpointSlots: (baseUrl, apiKey) =>
      readServerSlots({ baseUrl, apiKey: apiKey || undefined, pageOrigin: location.origin }),
    pageNetwork: () => network.record(),
  };
}
