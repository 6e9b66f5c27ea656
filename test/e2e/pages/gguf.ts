// Exposes the GGUF engine (wllama) to test/e2e/gguf-engine.spec.ts in a real Chromium page.
import type { ChatReply } from '../../../src/lib/crescent/types';
import { WllamaChatEngine } from '../../../src/lib/engines/wllama';

let engine: WllamaChatEngine | undefined;

async function load(
  url: string,
  threads?: number,
  device: 'wasm' | 'webgpu' = 'wasm',
): Promise<{ threads: number; ready: string }> {
  await engine?.unload();
  let ready = '';
  engine = await WllamaChatEngine.load({
    model: 'SmolLM2-135M-Instruct-Q4_1',
    source: { url },
    device,
    onProgress: (progress) => {
      if (progress.phase === 'ready') ready = progress.text;
    },
    ...(threads === undefined ? {} : { threads }),
  });
  return { threads: engine.threads, ready };
}

async function complete(prompt: string, seed: number, maxTokens: number): Promise<ChatReply> {
  if (!engine) throw new Error('no model loaded');
  return engine.complete([{ role: 'user', content: prompt }], {
    temperature: 0.8,
    topP: 0.95,
    maxTokens,
    seed,
  });
}

/** A reply stopped after `afterMs`: what the engine makes of the interrupt. */
async function interrupted(prompt: string, afterMs: number): Promise<string> {
  if (!engine) throw new Error('no model loaded');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), afterMs);
  try {
    await engine.complete(
      [{ role: 'user', content: prompt }],
      { temperature: 0.8, topP: 0.95, maxTokens: 400, seed: 1 },
      controller.signal,
    );
    return 'finished';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

declare global {
  interface Window {
    ggufPage: {
      load: typeof load;
      complete: typeof complete;
      interrupted: typeof interrupted;
      isolated: () => boolean;
    };
  }
}

window.ggufPage = { load, complete, interrupted, isolated: () => crossOriginIsolated };
document.body.dataset.ready = 'true';
