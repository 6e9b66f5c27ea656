import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRunStore } from '../src/lib/crescent/memoryStore';
import { runCrescent } from '../src/lib/crescent/run';
import type { RunStore } from '../src/lib/crescent/types';
import { dataset, doubles, testConfig } from './support/runFixture';

describe('resuming a run', () => {
  it('equals the uninterrupted run, wherever it was interrupted and however often', async () => {
    const config = testConfig({ targetQuestions: 5 });
    const whole = doubles();
    await runCrescent(config, whole);
    const expected = dataset(await whole.store.load(config.runId));

    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        async (stops, concurrency) => {
          const pause = { controller: new AbortController() };
          let calls = 0;
          const d = doubles({
            concurrency,
            onCall: () => {
              if (stops.includes(++calls)) pause.controller.abort();
            },
          });
          let outcome = await runCrescent(config, d, { signal: pause.controller.signal });
          let pauses = 0;
          for (let i = 0; outcome.stopReason === 'paused' && i < 10; i++) {
            pauses++;
            pause.controller = new AbortController();
            outcome = await runCrescent(config, d, { signal: pause.controller.signal });
          }
          expect(outcome.stopReason).toBe('target');
          if (Math.min(...stops) <= whole.engine.calls) expect(pauses).toBeGreaterThan(0);
          expect(dataset(await d.store.load(config.runId))).toEqual(expected);
          // Only what a pause dropped is asked again: the requests in flight and the replies held
          // for their turn to be judged (asked at most `concurrency` places ahead). Nothing
          // stored is drawn twice.
          const keys = d.engine.requests.map((r) => `${r.seed}\u0000${r.prompt}`);
          expect(keys.length - new Set(keys).size).toBeLessThanOrEqual(pauses * 2 * concurrency);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('equals the uninterrupted run after losing any tail of its writes (a power cut)', async () => {
    const config = testConfig({ targetQuestions: 5 });
    const whole = doubles();
    await runCrescent(config, whole);
    const expected = dataset(await whole.store.load(config.runId));

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (concurrency, share) => {
          // Every write in the order the store took it, replayable into another store.
          const writes: ((store: RunStore) => Promise<void>)[] = [];
          const d = doubles({ concurrency });
          const inner = d.store;
          const logged: RunStore = {
            load: (runId) => inner.load(runId),
            addQuestion: async (r) => {
              await inner.addQuestion(r);
              writes.push((s) => s.addQuestion(r));
            },
            addSample: async (r) => {
              await inner.addSample(r);
              writes.push((s) => s.addSample(r));
            },
            addPair: async (r) => {
              await inner.addPair(r);
              writes.push((s) => s.addPair(r));
            },
            addSettlingSample: async (sample, pair) => {
              await inner.addSample(sample);
              await inner.addPair(pair);
              writes.push(async (s) => {
                await s.addSample(sample);
                await s.addPair(pair);
              });
            },
          };
          await runCrescent(config, { ...d, store: logged });
          // What survives: the writes before the cut, as IndexedDB's log keeps them in order.
          const kept = Math.floor(share * writes.length);
          const survivor = new MemoryRunStore();
          for (const write of writes.slice(0, kept)) await write(survivor);
          const resumed = doubles({ concurrency });
          const outcome = await runCrescent(config, { ...resumed, store: survivor });
          expect(outcome.stopReason).toBe('target');
          expect(dataset(await survivor.load(config.runId))).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});
