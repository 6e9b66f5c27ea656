import type {
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  CompletionUsage,
  MLCEngineConfig,
} from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import type { SamplingOptions } from '../src/lib/crescent/types';
import { WebLLMChatEngine, type MLCEngineLike } from '../src/lib/engines/webllm';
import type { GpuReport, LoadProgress } from '../src/lib/engines/reports';

const QWEN25 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';
const sampling: SamplingOptions = { temperature: 1, topP: 1, maxTokens: 64 };
const ask = [{ role: 'user' as const, content: 'Create one math word problem.' }];

const swiftshader: GpuReport = {
  webgpu: true,
  adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
  shaderF16: false,
  maxStorageBufferBindingSize: 2 ** 30,
  maxBufferSize: 2 ** 31,
  quantization: 'q4f32_1',
};

const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function usage(prompt: number, completion: number): CompletionUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    extra: {
      e2e_latency_s: 1,
      prefill_tokens_per_s: 100,
      decode_tokens_per_s: 37.5,
      time_to_first_token_s: 0.1,
      time_per_output_token_s: 0.03,
    },
  };
}

function chunk(
  content: string | null,
  finish: 'stop' | 'length' | 'abort' | null = null,
): ChatCompletionChunk {
  const choices =
    content === null && finish === null
      ? []
      : [{ index: 0, delta: { content }, finish_reason: finish }];
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: QWEN3, choices };
}

/** Streams the scripted reply a few characters at a time, as web-llm does, and records overlap. */
class FakeMLCEngine implements MLCEngineLike {
  readonly requests: ChatCompletionRequestStreaming[] = [];
  active = 0;
  maxActive = 0;
  interrupts = 0;
  unloads = 0;
  private interrupted = false;

  constructor(private readonly reply = 'What is 6 times 7?') {}

  async reload(): Promise<void> {}

  async chatCompletion(
    request: ChatCompletionRequestStreaming,
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    this.requests.push(request);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    this.interrupted = false;
    const pieces = this.reply.match(/.{1,4}/gs) ?? [];
    const tokens = pieces.length;
    const stream = async function* (self: FakeMLCEngine): AsyncGenerator<ChatCompletionChunk> {
      try {
        for (const piece of pieces) {
          await tick();
          if (self.interrupted) {
            yield chunk('', 'abort');
            return;
          }
          yield chunk(piece);
        }
        yield chunk('', 'stop');
        yield { ...chunk(null), usage: usage(12, tokens) };
      } finally {
        self.active--;
      }
    };
    return stream(this);
  }

  interruptGenerate(): void {
    this.interrupts++;
    this.interrupted = true;
  }

  async unload(): Promise<void> {
    this.unloads++;
  }
}

describe('WebLLMChatEngine.complete', () => {
  it('never runs two requests at once, even when called concurrently', async () => {
    const fake = new FakeMLCEngine();
    const engine = new WebLLMChatEngine(QWEN25, fake);
    const replies = await Promise.all([1, 2, 3, 4].map(() => engine.complete(ask, sampling)));
    expect(fake.maxActive).toBe(1);
    expect(fake.requests).toHaveLength(4);
    expect(replies.map((r) => r.text)).toEqual(Array(4).fill('What is 6 times 7?'));
  });

  it('passes sampling, seed and include_usage to web-llm and no thinking switch to Qwen2.5', async () => {
    const fake = new FakeMLCEngine();
    await new WebLLMChatEngine(QWEN25, fake).complete(ask, {
      ...sampling,
      seed: 1234,
      maxTokens: 99,
    });
    expect(fake.requests[0]).toEqual({
      messages: [{ role: 'user', content: 'Create one math word problem.' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 1,
      top_p: 1,
      max_tokens: 99,
      seed: 1234,
    });
  });

  it('asks a Qwen3 model not to think unless the options say so', async () => {
    const fake = new FakeMLCEngine();
    const engine = new WebLLMChatEngine(QWEN3, fake);
    await engine.complete(ask, sampling);
    await engine.complete(ask, { ...sampling, thinking: true });
    expect(fake.requests.map((r) => r.extra_body)).toEqual([
      { enable_thinking: false },
      { enable_thinking: true },
    ]);
  });

  it('splits the thinking block off and shares completion tokens out by characters', async () => {
    const fake = new FakeMLCEngine('<think>plan</think>answer 42');
    const reply = await new WebLLMChatEngine(QWEN3, fake).complete(ask, {
      ...sampling,
      thinking: true,
    });
    expect(reply.text).toBe('answer 42');
    expect(reply.thinking).toBe('plan');
    expect(reply.finishReason).toBe('stop');
    // 7 chunks of up to 4 characters; 4 of the 13 visible characters are thinking.
    expect(reply.usage).toEqual({
      promptTokens: 12,
      completionTokens: 7,
      thinkingTokens: 2,
      decodeTokensPerSecond: 37.5,
    });
  });

  it('interrupts generation on abort and rejects with an aborted CrescentError', async () => {
    const fake = new FakeMLCEngine('x'.repeat(400));
    const engine = new WebLLMChatEngine(QWEN25, fake);
    const controller = new AbortController();
    const pending = engine.complete(ask, sampling, controller.signal);
    await tick(5);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(fake.interrupts).toBeGreaterThan(0);
    // The next request waits for the interrupted one to wind down, then runs normally.
    const next = await engine.complete(ask, sampling);
    expect(next.text).toBe('x'.repeat(400));
    expect(fake.maxActive).toBe(1);
  });

  it('drops a queued request whose signal aborts before its turn', async () => {
    const fake = new FakeMLCEngine();
    const engine = new WebLLMChatEngine(QWEN25, fake);
    const controller = new AbortController();
    const first = engine.complete(ask, sampling);
    const second = engine.complete(ask, sampling, controller.signal);
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'aborted' });
    await first;
    await tick(5);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a failure inside generation to a CrescentError', async () => {
    const fake = new FakeMLCEngine();
    fake.chatCompletion = () =>
      Promise.reject(new Error('Device was lost. Detailed error: [object GPUDeviceLostInfo]'));
    const failure = new WebLLMChatEngine(QWEN25, fake).complete(ask, sampling);
    await expect(failure).rejects.toBeInstanceOf(CrescentError);
    await expect(failure).rejects.toMatchObject({ code: 'device-lost' });
  });
});

describe('WebLLMChatEngine.load', () => {
  function loader(reload: (config: MLCEngineConfig) => Promise<void>, fake = new FakeMLCEngine()) {
    const configs: MLCEngineConfig[] = [];
    const createEngine = (config: MLCEngineConfig): MLCEngineLike => {
      configs.push(config);
      fake.reload = () => reload(config);
      return fake;
    };
    return { configs, createEngine, fake };
  }

  it('refuses before creating an engine when the preflight found no WebGPU', async () => {
    const { configs, createEngine } = loader(async () => {});
    const report: GpuReport = {
      ...swiftshader,
      webgpu: false,
      adapter: null,
      quantization: null,
      problem: { code: 'no-webgpu', message: 'This browser does not offer WebGPU.' },
    };
    await expect(
      WebLLMChatEngine.load({ model: QWEN25, preflightReport: report, createEngine }),
    ).rejects.toMatchObject({
      code: 'no-webgpu',
    });
    expect(configs).toHaveLength(0);
  });

  it('rejects a model id web-llm does not know', async () => {
    const { createEngine } = loader(async () => {});
    const load = WebLLMChatEngine.load({
      model: 'Qwen9-1T',
      preflightReport: swiftshader,
      createEngine,
    });
    await expect(load).rejects.toMatchObject({ code: 'unknown-model' });
  });

  it('rejects an f16 model on a GPU without shader-f16 and names the f32 one', async () => {
    const { createEngine } = loader(async () => {});
    const load = WebLLMChatEngine.load({
      model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      preflightReport: swiftshader,
      createEngine,
    });
    await expect(load).rejects.toMatchObject({
      code: 'unknown-model',
      action: 'Pick Qwen2.5-0.5B-Instruct-q4f32_1-MLC instead.',
    });
  });

  it('maps progress and returns an engine for the model', async () => {
    const { createEngine } = loader(async (config) => {
      config.initProgressCallback?.({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' });
      config.initProgressCallback?.({
        progress: 0.5,
        timeElapsed: 4,
        text: 'Fetching param cache[1/2]: 300MB fetched. 50% completed, 4 secs elapsed.',
      });
      config.initProgressCallback?.({
        progress: 1,
        timeElapsed: 9,
        text: 'Finish loading on WebGPU - swiftshader',
      });
    });
    const seen: LoadProgress[] = [];
    const engine = await WebLLMChatEngine.load({
      model: QWEN3,
      preflightReport: swiftshader,
      createEngine,
      onProgress: (p) => seen.push(p),
    });
    expect(engine.model).toBe(QWEN3);
    expect(engine.concurrency).toBe(1);
    expect(seen.map((p) => p.phase)).toEqual(['preflight', 'fetching', 'fetching', 'ready']);
    expect(seen[2]).toMatchObject({
      bytesTotal: 600 * 1024 * 1024,
      etaSeconds: 4,
      fromCache: false,
    });
  });

  it('builds a one-model config for self-hosted weights, keeping the prebuilt model library', async () => {
    const { configs, createEngine } = loader(async () => {});
    await WebLLMChatEngine.load({
      model: QWEN25,
      modelUrl: 'https://models.example.org/qwen/',
      preflightReport: swiftshader,
      createEngine,
    });
    const records = configs[0]?.appConfig?.model_list ?? [];
    expect(records).toHaveLength(1);
    expect(records[0]?.model).toBe('https://models.example.org/qwen/');
    expect(records[0]?.model_lib).toMatch(/Qwen2-0\.5B-Instruct-q4f32_1_cs1k-webgpu\.wasm$/);
  });

  it('calls an unreachable model unreachable, and a broken download a failed download', async () => {
    const refused = loader(() => Promise.reject(new TypeError('Failed to fetch')));
    const load = WebLLMChatEngine.load({
      model: QWEN25,
      preflightReport: swiftshader,
      createEngine: refused.createEngine,
    });
    await expect(load).rejects.toMatchObject({ code: 'model-unreachable', retryable: true });
    expect(refused.fake.unloads).toBe(1);

    const broken = loader(async (config) => {
      config.initProgressCallback?.({
        progress: 0.1,
        timeElapsed: 2,
        text: 'Fetching param cache[1/9]: 30MB fetched. 10% completed, 2 secs elapsed.',
      });
      throw new TypeError('Failed to fetch');
    });
    const partial = WebLLMChatEngine.load({
      model: QWEN25,
      preflightReport: swiftshader,
      createEngine: broken.createEngine,
    });
    await expect(partial).rejects.toMatchObject({ code: 'download-failed' });
  });

  it('unloads on abort and rejects even though web-llm resolves an aborted reload', async () => {
    const fake = new FakeMLCEngine();
    const { createEngine } = loader(async () => {
      while (fake.unloads === 0) await tick();
    }, fake);
    const controller = new AbortController();
    const load = WebLLMChatEngine.load({
      model: QWEN25,
      preflightReport: swiftshader,
      createEngine,
      signal: controller.signal,
    });
    await tick(5);
    controller.abort();
    await expect(load).rejects.toMatchObject({ code: 'aborted' });
    expect(fake.unloads).toBeGreaterThan(0);
  });
});
