// Exposes the preflight and the web-llm loader to test/e2e/webgpu.spec.ts in a real Chromium.
import { CrescentError } from '../../../src/lib/crescent/errors';
import { preflight } from '../../../src/lib/engines/preflight';
import { WebLLMChatEngine } from '../../../src/lib/engines/webllm';
import { describeThrown } from '../../../src/lib/engines/webllmErrors';
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

declare global {
  interface Window {
    webgpuPage: {
      preflight(): Promise<GpuReport>;
      loadFrom(modelUrl: string, modelLibUrl: string): Promise<LoadOutcome>;
      isCached(model: string): Promise<boolean>;
    };
  }
}

window.webgpuPage = {
  preflight: () => preflight(),
  loadFrom,
  isCached: (model) => WebLLMChatEngine.isCached(model),
};
document.body.dataset.ready = 'true';
