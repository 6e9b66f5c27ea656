// The real engines, embedders and storage the worker runs with: the one place where recipe specs
// meet the adapters in lib/engines and lib/db. web-llm (about 6 MB) is imported only when a run
// or a cache question needs it, so a worker that drives an endpoint never loads it. An endpoint's
// requests go through the tab's fetch relay once the page has handed one over (fetchRelay.ts).
import { startNetworkRecorder } from '../network/recorder';
import { runCrescent } from '../crescent/run';
import { createEmbedder } from '../engines/embedders';
import { OpenAIChatEngine } from '../engines/openaiChat';
import { preflight } from '../engines/preflight';
import { ggufUrl, isLocalGguf, localGgufKey, LOCAL_PREFIX } from '../engines/ggufCatalog';
import type { GgufSource } from '../engines/wllama';
import { WllamaChatEngine } from '../engines/wllama';
import { computeThreads } from '../sw/headers';
import { CrescentError } from '../crescent/errors';
import type { FetchLike } from '../engines/openaiHttp';
import { mergeRecords } from '../network/tally';
import type { EngineSpec } from '../recipe/types';
import { FetchRelayClient } from './fetchRelay';
import type { EngineLoader, EmbedderLoader, LoadedEngine, LoadOptions } from './modelSlots';
import type { PipelineDeps } from './pipeline';
import { configForRun } from './runConfig';
import { defaultRunLock } from './runLock';
import { openRunRecords } from './runRecords';

/** `fetch`: how an endpoint engine makes its requests (default: the global fetch). */
export const engineLoader =
  (fetch?: FetchLike): EngineLoader =>
  async (spec, { onProgress, signal }) => {
    if (spec.kind === 'openai') {
      const { baseUrl, baseUrls, model, apiKey, concurrency, thinkingSwitch } = spec;
      // Nothing to load: the server holds the model. Its first reply tells whether it is reachable.
      return {
        engine: new OpenAIChatEngine({
          baseUrl,
          replicas: baseUrls,
          model,
          apiKey,
          concurrency,
          thinkingSwitch,
          fetch,
        }),
        unload: async () => {},
      };
    }
    return loadInBrowser(spec, onProgress, signal);
  };

async function loadInBrowser(
  spec: Exclude<EngineSpec, { kind: 'openai' }>,
  onProgress: LoadOptions['onProgress'],
  signal: LoadOptions['signal'],
): Promise<LoadedEngine> {
  if (spec.kind === 'wllama') {
    const source = await ggufSource(spec.model, spec.modelUrl);
    if (source === undefined) {
      throw new CrescentError({
        code: 'unknown-model',
        message: `${spec.model} is neither a model of the GGUF catalog nor a Hub owner/repo/file.gguf.`,
        action: 'Pick a model from the list, or give the URL of its .gguf file.',
      });
    }
    const engine = await WllamaChatEngine.load({
      model: spec.model,
      source,
      device: spec.device ?? 'wasm',
      // Threads exist only where the page is cross-origin isolated (the service worker does it
      // from the second visit on); wllama's own default is half the cores, one on two.
      threads: computeThreads(
        globalThis.crossOriginIsolated,
        globalThis.navigator?.hardwareConcurrency,
      ),
      onProgress,
      signal,
    });
    return { engine, unload: () => engine.unload() };
  }
  const { WebLLMChatEngine } = await import('../engines/webllm');
  const engine = await WebLLMChatEngine.load({
    model: spec.model,
    modelUrl: spec.modelUrl,
    modelLibUrl: spec.modelLibUrl,
    onProgress,
    signal,
  });
  return { engine, unload: () => engine.unload() };
}

/** Where the GGUF engine reads a model from: the cached copy of a picked file, or a URL. */
async function ggufSource(model: string, modelUrl?: string): Promise<GgufSource | undefined> {
  if (isLocalGguf(model) && !modelUrl) {
    const { readLocalGguf } = await import('../engines/wllamaRuntime');
    const name = model.slice(LOCAL_PREFIX.length);
    const file = await readLocalGguf(localGgufKey(model));
    if (file === null) {
      throw new CrescentError({
        code: 'unknown-model',
        message: `${name} is no longer kept in this browser.`,
        action: 'Pick the .gguf file again in Setup, then resume.',
      });
    }
    return { file, name };
  }
  const url = ggufUrl(model, modelUrl);
  return url === undefined ? undefined : { url };
}

/** `fetch`: how an endpoint embedder makes its requests (default: the global fetch). */
export const embedderLoader =
  (fetch?: FetchLike): EmbedderLoader =>
  (spec, { onProgress, signal }) =>
    createEmbedder(spec, { onProgress, signal, fetch });

export function browserPipelineDeps(): PipelineDeps {
  const recorder = startNetworkRecorder();
  const direct: FetchLike = (url, init) => fetch(url, init);
  let relay: FetchRelayClient | null = null;
  // Looked up per request: the relay may arrive after the engine is made.
  const endpointFetch: FetchLike = (url, init) =>
    relay ? relay.fetch(url, init) : direct(url, init);
  return {
    networkRecord: async () => mergeRecords(recorder.record(), (await relay?.record()) ?? null),
    useFetchRelay: (port) => {
      relay?.close();
      relay = new FetchRelayClient(port, direct);
    },
    loadEngine: engineLoader(endpointFetch),
    loadEmbedder: embedderLoader(endpointFetch),
    preflight: () => preflight(),
    modelCache: {
      isCached: async (model) =>
        (await import('../engines/webllm')).WebLLMChatEngine.isCached(model),
      deleteCached: async (model) =>
        (await import('../engines/webllm')).WebLLMChatEngine.deleteCached(model),
    },
    openRecords: () => openRunRecords(),
    lock: defaultRunLock(),
    toConfig: configForRun,
    runCrescent,
  };
}
