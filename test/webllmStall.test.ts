import type {
  ChatCompletionChunk,
  InitProgressCallback,
  InitProgressReport,
  MLCEngineConfig,
} from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { WebLLMChatEngine, type MLCEngineLike } from '../src/lib/engines/webllm';
import type { SetTimer } from '../src/lib/engines/timer';
import type { GpuReport, LoadProgress } from '../src/lib/engines/reports';

const QWEN25 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

const swiftshader: GpuReport = {
  webgpu: true,
  adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
  shaderF16: false,
  maxStorageBufferBindingSize: 2 ** 30,
  maxBufferSize: 2 ** 31,
  quantization: 'q4f32_1',
};

const START: InitProgressReport = { progress: 0, timeElapsed: 0, text: 'Start to fetch params' };
const fetched = (shard: number): InitProgressReport => ({
  progress: shard / 10,
  timeElapsed: shard * 30,
  text: `Fetching param cache[${shard}/10]: ${shard * 30}MB fetched. ${shard * 10}% completed, ${shard * 30} secs elapsed.`,
});
const FROM_CACHE: InitProgressReport = {
  progress: 0.1,
  timeElapsed: 301,
  text: 'Loading model from cache[1/10]: 30MB loaded. 10% completed, 301 secs elapsed.',
};
const SHADERS: InitProgressReport = {
  progress: 0.5,
  timeElapsed: 1,
  text: 'Loading GPU shader modules[40/80]: 50% completed, 1 secs elapsed.',
};
const READY: InitProgressReport = {
  progress: 1,
  timeElapsed: 500,
  text: 'Finish loading on WebGPU - swiftshader',
};

/** Timers that run only when the test moves the clock. */
class FakeClock {
  private now = 0;
  private nextId = 0;
  private readonly timers = new Map<number, { due: number; callback: () => void }>();

  readonly setTimer: SetTimer = (callback, ms) => {
    const id = this.nextId++;
    this.timers.set(id, { due: this.now + ms, callback });
    return () => this.timers.delete(id);
  };

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].due - b[1].due)) {
      if (timer.due > this.now || !this.timers.has(id)) continue;
      this.timers.delete(id);
      timer.callback();
    }
  }
}

/** A web-llm stand-in whose reload is scripted; unload() aborts it, as web-llm's does. */
class ScriptedEngine implements MLCEngineLike {
  unloads = 0;
  report: InitProgressCallback = () => {};
  private readonly started: Promise<void>;
  private start: () => void = () => {};
  private abortReload: (reason: string) => void = () => {};

  constructor(private readonly script: (engine: ScriptedEngine) => Promise<void>) {
    this.started = new Promise((resolve) => (this.start = resolve));
  }

  /** Resolves once load() has handed the model to reload(). */
  reloadStarted(): Promise<void> {
    return this.started;
  }

  /** Pending until unload() is called, then rejects as web-llm's aborted fetches do. */
  untilUnloaded(): Promise<never> {
    return new Promise((_, reject) => (this.abortReload = reject));
  }

  reload(): Promise<void> {
    this.start();
    return this.script(this);
  }

  chatCompletion(): Promise<AsyncIterable<ChatCompletionChunk>> {
    return Promise.reject(new Error('not used'));
  }

  interruptGenerate(): void {}

  async unload(): Promise<void> {
    this.unloads++;
    this.abortReload('Engine.unload() is called.');
  }
}

function load(
  fake: ScriptedEngine,
  clock: FakeClock,
  extra: {
    signal?: AbortSignal;
    onProgress?: (progress: LoadProgress) => void;
    stallTimeoutMs?: number;
  } = {},
): Promise<WebLLMChatEngine> {
  return WebLLMChatEngine.load({
    model: QWEN25,
    preflightReport: swiftshader,
    createEngine: (config: MLCEngineConfig) => {
      fake.report = config.initProgressCallback ?? (() => {});
      return fake;
    },
    setTimer: clock.setTimer,
    stallTimeoutMs: 60_000,
    ...extra,
  });
}

/** Lets every promise callback that is ready run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function track<T>(promise: Promise<T>): { settled: () => boolean } {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { settled: () => done };
}

describe('WebLLMChatEngine.load stall watchdog', () => {
  it('gives up on a download that stops reporting, with a retryable download-failed, and unloads', async () => {
    const clock = new FakeClock();
    const fake = new ScriptedEngine(async (engine) => {
      engine.report(START);
      engine.report(fetched(1));
      await engine.untilUnloaded();
    });
    const loading = load(fake, clock);
    const state = track(loading);
    await fake.reloadStarted();
    await settle();

    clock.advance(59_999);
    await settle();
    expect(state.settled()).toBe(false);
    expect(fake.unloads).toBe(0);

    clock.advance(1);
    await expect(loading).rejects.toMatchObject({
      code: 'download-failed',
      retryable: true,
      message: 'The model download stalled: nothing arrived for 60 s.',
      action: 'Check your connection and retry; what was downloaded is kept in the browser cache.',
    });
    expect(fake.unloads).toBeGreaterThan(0);
    expect(clock.pending).toBe(0);
  });

  it('waits five minutes by default before it calls a quiet download stalled', async () => {
    const clock = new FakeClock();
    const fake = new ScriptedEngine(async (engine) => {
      engine.report(START);
      await engine.untilUnloaded();
    });
    const loading = load(fake, clock, { stallTimeoutMs: undefined });
    const state = track(loading);
    await fake.reloadStarted();
    await settle();

    clock.advance(299_999);
    await settle();
    expect(state.settled()).toBe(false);
    clock.advance(1);
    await expect(loading).rejects.toMatchObject({
      code: 'download-failed',
      message: 'The model download stalled: nothing arrived for 5 min.',
    });
  });

  it('fails at the timeout even when the stalled reload never settles, and frees what it loads later', async () => {
    const clock = new FakeClock();
    let finish: () => void = () => {};
    // No report at all: stuck on a fetch that ignores unload(), like web-llm's tokenizer fetch.
    const fake = new ScriptedEngine(() => new Promise<void>((resolve) => (finish = resolve)));
    const loading = load(fake, clock);
    await fake.reloadStarted();
    clock.advance(30_000);
    await settle();
    clock.advance(30_000);
    await expect(loading).rejects.toMatchObject({ code: 'download-failed' });
    const unloadsAtFailure = fake.unloads;
    expect(unloadsAtFailure).toBeGreaterThan(0);

    // Reports from the abandoned reload start no new countdown.
    fake.report(fetched(2));
    expect(clock.pending).toBe(0);
    finish();
    await settle();
    expect(fake.unloads).toBe(unloadsAtFailure + 1);
  });

  it('keeps loading while progress goes on past the timeout, and does not time GPU work', async () => {
    const clock = new FakeClock();
    const fake = new ScriptedEngine(async (engine) => {
      engine.report(START);
      for (let shard = 1; shard <= 10; shard++) {
        clock.advance(50_000); // 500 s of downloading in all, a report every 50 s.
        engine.report(fetched(shard));
        await Promise.resolve();
      }
      engine.report(FROM_CACHE);
      clock.advance(120_000); // A slow shader compilation, silent for two minutes.
      engine.report(SHADERS);
      clock.advance(120_000);
      engine.report(READY);
    });
    const phases: LoadProgress['phase'][] = [];
    const engine = await load(fake, clock, { onProgress: (p) => phases.push(p.phase) });
    expect(engine.model).toBe(QWEN25);
    expect(fake.unloads).toBe(0);
    expect(phases.filter((phase) => phase === 'fetching')).toHaveLength(11);
    expect(phases.at(-1)).toBe('ready');
    expect(clock.pending).toBe(0);
  });

  it('still reports an abort during the download as aborted, and stops the watch', async () => {
    const clock = new FakeClock();
    const fake = new ScriptedEngine(async (engine) => {
      engine.report(START);
      await engine.untilUnloaded();
    });
    const controller = new AbortController();
    const loading = load(fake, clock, { signal: controller.signal });
    await fake.reloadStarted();
    await settle();
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: 'aborted' });
    expect(fake.unloads).toBeGreaterThan(0);
    expect(clock.pending).toBe(0);
  });

  it('calls a load aborted when the abort and the timeout come together', async () => {
    const clock = new FakeClock();
    const fake = new ScriptedEngine(async (engine) => {
      engine.report(START);
      await engine.untilUnloaded();
    });
    const controller = new AbortController();
    const loading = load(fake, clock, { signal: controller.signal });
    await fake.reloadStarted();
    await settle();
    clock.advance(60_000);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: 'aborted' });
  });
});
