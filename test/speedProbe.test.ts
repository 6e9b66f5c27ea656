import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { PacedChatEngine } from '../src/lib/engines/doubles/pacedEngine';
import { ScriptedChatEngine } from '../src/lib/engines/doubles/scriptedEngine';
import { PROBE_MAX_TOKENS, probePrompt, probeSpeed } from '../src/lib/engines/speedProbe';
import { runCrescent } from '../src/lib/crescent/run';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { Pipeline } from '../src/lib/worker/pipeline';
import type { PipelineEvent } from '../src/lib/worker/protocol';
import { configForRun } from '../src/lib/worker/runConfig';
import { MemoryRunLock } from '../src/lib/worker/runLock';
import { MemoryRunRecords } from '../src/lib/worker/runRecords';

/** A clock that moves only when the engine "works". */
function pacedOnClock(prefillMs: number, decodeMs: number, replyTokens?: number) {
  const clock = { now: 1000 };
  const engine = new PacedChatEngine({
    prefillMs,
    decodeMs,
    replyTokens,
    wait: async (ms) => {
      clock.now += ms;
    },
  });
  return { clock: { now: () => clock.now }, engine };
}

describe('timing a loaded model', () => {
  it('takes prefill from the one-token reply and decode from the longer reply’s extra tokens', async () => {
    const { clock, engine } = pacedOnClock(2, 25);
    const speed = await probeSpeed(engine, clock);
    const promptTokens = PacedChatEngine.tokens(probePrompt(1));
    expect(speed.promptTokens).toBe(promptTokens);
    expect(speed.generatedTokens).toBe(48);
    // The one-token reply: the prompt at 2 ms a token and one token at 25 ms.
    expect(speed.firstTokenSeconds).toBeCloseTo((promptTokens * 2 + 25) / 1000, 9);
    expect(speed.prefillTokensPerSecond).toBeCloseTo(promptTokens / speed.firstTokenSeconds, 9);
    // 47 tokens after the first, at 25 ms each: 40 tokens a second.
    expect(speed.decodeTokensPerSecond).toBeCloseTo(40, 9);
    expect(speed.decodeSource).toBe('timed');
  });

  it('asks for the probe’s token limit and keeps the prompts apart for prefix caches', async () => {
    const engine = new ScriptedChatEngine({ decodeTokensPerSecond: 33 });
    let t = 0;
    const speed = await probeSpeed(engine, { now: () => (t += 100) });
    const prompts = engine.requests.map((r) => r.prompt);
    expect(new Set(prompts).size).toBe(3);
    expect(prompts.every((p) => p.length > 800)).toBe(true);
    expect(PROBE_MAX_TOKENS).toBeGreaterThan(16);
    // An engine that reports its decode speed is taken at its word.
    expect(speed.decodeTokensPerSecond).toBe(33);
    expect(speed.decodeSource).toBe('engine');
  });

  it('refuses to time decoding from a one-token reply', async () => {
    const { clock, engine } = pacedOnClock(2, 25, 1);
    await expect(probeSpeed(engine, clock)).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('the pipeline measuring a model', () => {
  function pipeline(events: PipelineEvent[], loads: { count: number }) {
    const p = new Pipeline({
      loadEngine: async (_spec, { onProgress }) => {
        loads.count++;
        onProgress({ phase: 'loading', fraction: 0.5, text: 'Loading the paced model' });
        return {
          engine: new PacedChatEngine({ prefillMs: 0.01, decodeMs: 0.1 }),
          unload: async () => {},
        };
      },
      loadEmbedder: async () => new HashingEmbedder(),
      preflight: async () => {
        throw new Error('not used');
      },
      modelCache: { isCached: async () => false, deleteCached: async () => {} },
      openRecords: async () => new MemoryRunRecords(),
      lock: new MemoryRunLock(),
      toConfig: configForRun,
      runCrescent,
      progressIntervalMs: 0,
      sleep: () => Promise.resolve(),
    });
    void p.subscribe((event) => events.push(event));
    return p;
  }

  it('loads the engine through the load events a run shows, and keeps it for the next time', async () => {
    const events: PipelineEvent[] = [];
    const loads = { count: 0 };
    const p = pipeline(events, loads);
    const spec = defaultRecipe().engine;
    const speed = await p.measureSpeed(spec);
    expect(speed.model).toBe('paced-test-model');
    expect(speed.decodeTokensPerSecond).toBeGreaterThan(0);
    const phases = events.flatMap((e) => (e.type === 'load' ? [e.progress.phase] : []));
    expect(phases).toEqual(['loading', 'ready']);
    await p.measureSpeed(spec);
    expect(loads.count).toBe(1);
  });

  it('is refused while a measurement or a run holds the lock', async () => {
    const p = pipeline([], { count: 0 });
    const spec = defaultRecipe().engine;
    const first = p.measureSpeed(spec);
    await expect(p.measureSpeed(spec)).rejects.toMatchObject({ code: 'run-locked' });
    await first;
  });
});
