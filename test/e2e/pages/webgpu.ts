// Exposes the preflight and the web-llm loader to test/e2e/webgpu.spec.ts in a real Chromium.
import { CrescentError } from '../../../src/lib/crescent/errors';
import { preflight } from '../../../src/lib/engines/preflight';
import { WebLLMChatEngine } from '../../../src/lib/engines/webllm';
import { describeThrown } from '../../../src/lib/engines/thrown';
import type { GpuReport, LoadProgress } from '../../../src/lib/engines/reports';

export interface LoadOutcome {
  loaded: boolean;
  crescent: boolean;
  code: string | null;
  message: string;
  /** What web-llm or the browser threw, before mapping. */
  cause: string;
  retryable: boolean | null;
  elapsedMs: number;
  phases: LoadProgress['phase'][];
}

async function loadFrom(modelUrl: string, modelLibUrl: string): Promise<LoadOutcome> {
  const started = performance.now();
  const phases: LoadProgress['phase'][] = [];
  try {
    await WebLLMChatEngine.load({
      model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
      modelUrl,
      modelLibUrl,
      onProgress: (p) => phases.push(p.phase),
    });
    return {
      loaded: true,
      crescent: false,
      code: null,
      message: '',
      cause: '',
      retryable: null,
      elapsedMs: 0,
      phases,
    };
  } catch (error) {
    return {
      loaded: false,
      crescent: error instanceof CrescentError,
      code: error instanceof CrescentError ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
      cause: describeThrown(error instanceof Error ? error.cause : undefined),
      retryable: error instanceof CrescentError ? error.retryable : null,
      elapsedMs: performance.now() - started,
      phases,
    };
  }
}

/**
 * Puts a model's config and model library where web-llm's cache looks for them, as an earlier
 * download would have left them. The library is an empty WebAssembly module: loading stops there,
 * after everything before it was read from the cache.
 */
async function seedCache(modelUrl: string, modelLibUrl: string): Promise<void> {
  const config = {
    model_type: 'qwen2',
    conv_template: { name: 'qwen2' },
    tokenizer_files: ['tokenizer.json'],
    context_window_size: 2048,
  };
  const json = { headers: { 'Content-Type': 'application/json' } };
  await (
    await caches.open('webllm/config')
  ).put(
    // web-llm reads a model's files under resolve/main/, as the Hub lays them out.
    new URL('resolve/main/mlc-chat-config.json', modelUrl).href,
    new Response(JSON.stringify(config), json),
  );
  const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await (
    await caches.open('webllm/wasm')
  ).put(
    modelLibUrl,
    new Response(emptyModule, { headers: { 'Content-Type': 'application/wasm' } }),
  );
}

declare global {
  interface Window {
    webgpuPage: {
      preflight(): Promise<GpuReport>;
      loadFrom(modelUrl: string, modelLibUrl: string): Promise<LoadOutcome>;
      isCached(model: string): Promise<boolean>;
      seedCache(modelUrl: string, modelLibUrl: string): Promise<void>;
    };
  }
}

window.webgpuPage = {
  preflight: () => preflight(),
  loadFrom,
  isCached: (model) => WebLLMChatEngine.isCached(model),
  seedCache,
};
document.body.dataset.ready = 'true';
