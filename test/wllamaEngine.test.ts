// The GGUF engine's adapter against a double of wllama: what it asks llama.cpp for, and what it
// makes of the replies, the failures and an interrupt.
import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import type { SamplingOptions } from '../src/lib/crescent/types';
import type { LoadProgress } from '../src/lib/engines/reports';
import {
  backendsInLog,
  loadError,
  placeOf,
  requestError,
  templateHasThinkingSwitch,
  WllamaChatEngine,
  type WllamaChatRequest,
  type WllamaChunk,
  type WllamaLike,
  type WllamaOpenOptions,
} from '../src/lib/engines/wllama';

/** For a promise that must fail: its success fails the test. */
const unexpected = (): never => {
  throw new Error('expected a failure');
};

const OPTIONS: SamplingOptions = { temperature: 0.7, topP: 0.9, maxTokens: 64, seed: 12345 };

interface Double {
  runtime: WllamaLike;
  requests: WllamaChatRequest[];
  exited: () => number;
}

function double(
  reply: (request: WllamaChatRequest) => AsyncIterable<WllamaChunk>,
  template: string | null = '{{ messages }}',
): Double {
  const requests: WllamaChatRequest[] = [];
  let exits = 0;
  return {
    requests,
    exited: () => exits,
    runtime: {
      createChatCompletion: async (request) => {
        requests.push(request);
        return reply(request);
      },
      getChatTemplate: () => template,
      getNumThreads: () => 1,
      getBackends: () => ['CPU'],
      exit: async () => {
        exits++;
      },
    },
  };
}

async function* chunks(...list: WllamaChunk[]): AsyncIterable<WllamaChunk> {
  for (const chunk of list) yield chunk;
}

const text = (content: string, finish: string | null = null): WllamaChunk => ({
  choices: [{ delta: { content }, finish_reason: finish }],
});

async function load(d: Double, progress: LoadProgress[] = [], opened: WllamaOpenOptions[] = []) {
  return WllamaChatEngine.load({
    model: 'SmolLM2-135M-Instruct-Q4_1',
    source: { url: 'https://models.test/smollm2.gguf' },
    device: 'wasm',
    onProgress: (p) => progress.push(p),
    open: async (options) => {
      opened.push(options);
      options.onDownload(50, 100);
      options.onDownload(100, 100);
      return d.runtime;
    },
  });
}

describe('WllamaChatEngine', () => {
  it('asks llama.cpp with the request seed, sampling and token limit, and streams usage', async () => {
    const d = double(() =>
      chunks(text('A bag '), text('holds 3 figs.', 'stop'), {
        choices: [],
        usage: { prompt_tokens: 21, completion_tokens: 7 },
        timings: { predicted_per_second: 41.5 },
      }),
    );
    const engine = await load(d);
    const reply = await engine.complete([{ role: 'user', content: 'Write a problem.' }], OPTIONS);
    expect(reply).toEqual({
      text: 'A bag holds 3 figs.',
      usage: { promptTokens: 21, completionTokens: 7, decodeTokensPerSecond: 41.5 },
      finishReason: 'stop',
    });
    expect(d.requests).toHaveLength(1);
    const { abortSignal, ...request } = d.requests[0]!;
    expect(abortSignal).toBeInstanceOf(AbortSignal);
    expect(request).toEqual({
      messages: [{ role: 'user', content: 'Write a problem.' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 64,
      seed: 12345,
    });
  });

  it('gives llama.cpp a 32-bit unsigned seed and none when the request has none', async () => {
    const d = double(() => chunks(text('x', 'stop')));
    const engine = await load(d);
    await engine.complete([{ role: 'user', content: 'q' }], { ...OPTIONS, seed: 2 ** 32 + 5.7 });
    await engine.complete([{ role: 'user', content: 'q' }], { ...OPTIONS, seed: -1 });
    const { seed: _seed, ...noSeed } = OPTIONS;
    await engine.complete([{ role: 'user', content: 'q' }], noSeed);
    expect(d.requests.map((r) => r.seed)).toEqual([5, 4294967295, undefined]);
    expect('seed' in d.requests[2]!).toBe(false);
  });

  it('says a reply cut by the token limit is cut, and counts tokens from the timings when no usage comes', async () => {
    const d = double(() =>
      chunks(text('Half a'), {
        choices: [{ delta: {}, finish_reason: 'length' }],
        timings: { prompt_n: 10, cache_n: 4, predicted_n: 64 },
      }),
    );
    const reply = await (await load(d)).complete([{ role: 'user', content: 'q' }], OPTIONS);
    expect(reply.finishReason).toBe('length');
    expect(reply.usage).toEqual({ promptTokens: 14, completionTokens: 64 });
  });

  it('does not call a stream that ends without a reason complete', async () => {
    const d = double(() => chunks(text('no end')));
    const reply = await (await load(d)).complete([{ role: 'user', content: 'q' }], OPTIONS);
    expect(reply.finishReason).toBe('error');
  });

  it('never turns half a reply into data when interrupted', async () => {
    const controller = new AbortController();
    const d = double((request) =>
      (async function* () {
        yield text('Half of a ');
        controller.abort();
        expect(request.abortSignal?.aborted).toBe(true);
        yield text('question', 'stop');
      })(),
    );
    const engine = await load(d);
    const error = await engine
      .complete([{ role: 'user', content: 'q' }], OPTIONS, controller.signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrescentError);
    expect((error as CrescentError).code).toBe('aborted');
  });

  it('makes an undecodable reply the failure of its request alone, and the next request works', async () => {
    let n = 0;
    const d = double(() => {
      if (++n === 1) throw new RangeError('Invalid typed array length: -3');
      return chunks(text('fine', 'stop'));
    });
    const engine = await load(d);
    const error = await engine
      .complete([{ role: 'user', content: 'q' }], OPTIONS)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'server-error', perRequest: true });
    expect((error as Error).message).toContain('Invalid typed array length');
    expect((await engine.complete([{ role: 'user', content: 'q' }], OPTIONS)).text).toBe('fine');
  });

  it('splits a thinking block off and sends the thinking switch only to a template that reads it', async () => {
    const thinking = double(
      () => chunks(text('<think>2+2</think>It is 4.', 'stop')),
      '{% if enable_thinking %}<think>{% endif %}',
    );
    const engine = await load(thinking);
    const reply = await engine.complete([{ role: 'user', content: 'q' }], OPTIONS);
    expect(reply.text).toBe('It is 4.');
    expect(reply.thinking).toBe('2+2');
    expect(thinking.requests[0]!.chat_template_kwargs).toEqual({ enable_thinking: false });
    await engine.complete([{ role: 'user', content: 'q' }], { ...OPTIONS, thinking: true });
    expect(thinking.requests[1]!.chat_template_kwargs).toEqual({ enable_thinking: true });

    const plain = double(() => chunks(text('ok', 'stop')));
    await (await load(plain)).complete([{ role: 'user', content: 'q' }], OPTIONS);
    expect('chat_template_kwargs' in plain.requests[0]!).toBe(false);
  });

  it('loads on the CPU or the GPU as asked, and reports the download then the load', async () => {
    const progress: LoadProgress[] = [];
    const opened: WllamaOpenOptions[] = [];
    await load(
      double(() => chunks()),
      progress,
      opened,
    );
    expect(opened[0]).toMatchObject({ gpuLayers: 0, contextTokens: 2048 });
    expect(progress.map((p) => [p.phase, p.fraction])).toEqual([
      ['fetching', null],
      ['fetching', 0.5],
      ['loading', 1],
      ['ready', 1],
    ]);
    expect(progress[1]).toMatchObject({ bytesLoaded: 50, bytesTotal: 100 });

    const gpu: WllamaOpenOptions[] = [];
    await WllamaChatEngine.load({
      model: 'm',
      source: { url: 'https://models.test/m.gguf' },
      device: 'webgpu',
      open: async (options) => {
        gpu.push(options);
        return double(() => chunks()).runtime;
      },
    });
    expect(gpu[0]!.gpuLayers).toBeGreaterThanOrEqual(999);
  });

  it('turns a failed load into a typed error with its cause, and a stop into a stop', async () => {
    const failing = (error: unknown) =>
      WllamaChatEngine.load({
        model: 'm',
        source: { url: 'https://models.test/m.gguf' },
        device: 'wasm',
        open: async () => {
          throw error;
        },
      }).then(unexpected, (e: unknown) => e as CrescentError);
    expect((await failing(new TypeError('Failed to fetch'))).code).toBe('model-unreachable');
    expect((await failing(Object.assign(new Error('x'), { type: 'download_error' }))).code).toBe(
      'model-unreachable',
    );
    expect((await failing(new Error('invalid magic number'))).code).toBe('unknown-model');
    expect((await failing(new RangeError('Array buffer allocation failed'))).code).toBe(
      'out-of-memory',
    );

    const controller = new AbortController();
    controller.abort();
    const stoppedEarly = await WllamaChatEngine.load({
      model: 'm',
      source: { url: 'https://models.test/m.gguf' },
      device: 'wasm',
      signal: controller.signal,
      open: async () => {
        throw new Error('must not open');
      },
    }).then(unexpected, (e: unknown) => e as CrescentError);
    expect(stoppedEarly.code).toBe('aborted');
  });

  it('frees the runtime when a load is stopped as it finishes, and on unload', async () => {
    const controller = new AbortController();
    const d = double(() => chunks());
    const error = await WllamaChatEngine.load({
      model: 'm',
      source: { url: 'https://models.test/m.gguf' },
      device: 'wasm',
      signal: controller.signal,
      open: async () => {
        controller.abort();
        return d.runtime;
      },
    }).then(unexpected, (e: unknown) => e as CrescentError);
    expect(error.code).toBe('aborted');
    expect(d.exited()).toBe(1);

    const loaded = double(() => chunks());
    const engine = await load(loaded);
    await engine.unload();
    expect(loaded.exited()).toBe(1);
    const after = await engine
      .complete([{ role: 'user', content: 'q' }], OPTIONS)
      .then(unexpected, (e: unknown) => e as CrescentError);
    expect(after.message).toContain('unloaded');
  });
});

describe('the GGUF engine errors and template', () => {
  it('names the model and the cause', () => {
    expect(loadError(new Error('bad file'), 'my.gguf').message).toContain('my.gguf');
    expect(requestError(new Error('boom'), 'my.gguf').message).toContain('Error: boom');
  });

  it('finds the thinking switch in a template only where it is read', () => {
    expect(templateHasThinkingSwitch(null)).toBe(false);
    expect(templateHasThinkingSwitch('{{ bos_token }}{% for m in messages %}')).toBe(false);
    expect(
      templateHasThinkingSwitch('{%- if enable_thinking is defined and not enable_thinking %}'),
    ).toBe(true);
  });
});

describe('where llama.cpp put the model', () => {
  it("reads the backends from llama.cpp's load log", () => {
    expect(backendsInLog('llama_kv_cache:        CPU KV buffer size =    45.00 MiB')).toEqual([
      'CPU',
    ]);
    expect(backendsInLog('sched_reserve:        CPU compute buffer size =    16.65 MiB')).toEqual([
      'CPU',
    ]);
    expect(backendsInLog('load_tensors:       WebGPU model buffer size =    70.1 MiB')).toEqual([
      'WebGPU',
    ]);
    expect(backendsInLog('llama_context: n_ctx                 = 2048')).toEqual([]);
  });

  it('says the GPU backend when one took the model, and the CPU threads beside it', () => {
    expect(placeOf('webgpu', ['CPU_Mapped', 'WebGPU'], 2)).toEqual({
      onGpu: true,
      text: 'on WebGPU, with 2 CPU threads',
    });
  });

  it('says so when WebGPU was asked for and llama.cpp stayed on the CPU', () => {
    const place = placeOf('webgpu', ['CPU'], 1);
    expect(place.onGpu).toBe(false);
    expect(place.text).toMatch(/^on one CPU thread: llama\.cpp found no WebGPU device/);
  });

  it('claims no fallback when the log said nothing, or the CPU was asked for', () => {
    expect(placeOf('webgpu', [], 1)).toEqual({ onGpu: false, text: 'on one CPU thread' });
    expect(placeOf('wasm', ['CPU'], 4)).toEqual({ onGpu: false, text: 'on 4 CPU threads' });
  });

  it("the load's last message says where the model runs", async () => {
    const progress: LoadProgress[] = [];
    await load(
      double(() => chunks(text('x', 'stop'))),
      progress,
    );
    expect(progress.at(-1)).toEqual({
      phase: 'ready',
      fraction: 1,
      text: 'SmolLM2-135M-Instruct-Q4_1 is ready, on one CPU thread',
      place: 'on one CPU thread',
    });
  });
});
