// The client against a real Pipeline over a MessageChannel: the same comlink wire a worker uses.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { runCrescent } from '../src/lib/crescent/run';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { ScriptedChatEngine } from '../src/lib/engines/doubles/scriptedEngine';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { createPipelineClient, type PipelineClient } from '../src/lib/worker/client';
import { errorFromWire, registerErrorTransfer } from '../src/lib/worker/errorTransfer';
import { Pipeline, type PipelineDeps } from '../src/lib/worker/pipeline';
import type { PipelineEvent } from '../src/lib/worker/protocol';
import { configForRun } from '../src/lib/worker/runConfig';
import { MemoryRunLock } from '../src/lib/worker/runLock';
import { MemoryRunRecords } from '../src/lib/worker/runRecords';

const open: PipelineClient[] = [];

afterEach(() => {
  for (const client of open.splice(0)) client.dispose();
});

function deps(overrides: Partial<PipelineDeps> = {}): PipelineDeps {
  const records = new MemoryRunRecords();
  return {
    loadEngine: async () => ({
      engine: new ScriptedChatEngine({ seed: 3, latencyMs: 40 }),
      unload: async () => {},
    }),
    loadEmbedder: async () => new HashingEmbedder(),
    preflight: async () => {
      throw new CrescentError({
        code: 'no-webgpu',
        message: 'This browser does not offer WebGPU.',
        action: 'Use a browser with WebGPU.',
      });
    },
    modelCache: {
      isCached: async (model) => model === 'cached-model',
      deleteCached: async () => {
        throw new Error('disk on fire');
      },
    },
    openRecords: async () => records,
    lock: new MemoryRunLock(),
    toConfig: configForRun,
    runCrescent,
    progressIntervalMs: 0,
    ...overrides,
  };
}

/** A pipeline behind one end of a channel, the client on the other: a worker without the thread. */
function connect(pipelineDeps: PipelineDeps = deps()): PipelineClient {
  registerErrorTransfer();
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(new Pipeline(pipelineDeps), port1);
  const client = createPipelineClient(port2);
  open.push(client);
  return client;
}

function until(client: PipelineClient, test: (event: PipelineEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = client.subscribe((event) => {
      if (!test(event)) return;
      stop();
      resolve();
    });
  });
}

describe('the pipeline client', () => {
  it('rebuilds a thrown CrescentError with its code, message and action', async () => {
    const client = connect();
    const error = await client.preflight().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrescentError);
    expect(error).toMatchObject({
      code: 'no-webgpu',
      message: 'This browser does not offer WebGPU.',
      action: 'Use a browser with WebGPU.',
    });
  });

  it('turns any other thrown error into an internal CrescentError that keeps the message', async () => {
    const client = connect();
    const error = await client.deleteCachedModel('some-model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrescentError);
    expect(error).toMatchObject({ code: 'internal', message: 'disk on fire' });
  });

  it('reads comlink’s own error shape too, should the other side never have registered ours', () => {
    const plain = errorFromWire({ isError: true, value: { message: 'boom', name: 'TypeError' } });
    expect(plain).toMatchObject({ code: 'internal', message: 'boom' });
    expect(errorFromWire({ crescent: { code: 'run-locked', message: 'busy' } }).code).toBe(
      'run-locked',
    );
  });

  it('returns plain values unchanged', async () => {
    const client = connect();
    expect(await client.isModelCached('cached-model')).toBe(true);
    expect(await client.isModelCached('other-model')).toBe(false);
    expect(await client.current()).toBeNull();
  });

  it('delivers a run’s events to its subscribers, ending with done', async () => {
    const client = connect();
    const events: PipelineEvent[] = [];
    client.subscribe((event) => events.push(event));
    const done = until(client, (e) => e.type === 'status' && e.status === 'done');
    const runId = await client.start({ ...defaultRecipe(), targetQuestions: 2 });
    await done;
    expect(events[0]).toEqual({ type: 'status', runId, status: 'loading' });
    expect(events.some((e) => e.type === 'progress' && e.progress.pairs === 2)).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'status', runId, status: 'done', reason: 'target' });
  });

  it('lets another tab’s client see a run over the broadcast channel, and this tab see it once', async () => {
    const lock = new MemoryRunLock();
    const running = connect(deps({ lock }));
    const watching = connect(deps({ lock }));
    const mine: PipelineEvent[] = [];
    const theirs: PipelineEvent[] = [];
    const origins = { mine: new Set<string>(), theirs: new Set<string>() };
    running.subscribe((event, origin) => {
      mine.push(event);
      origins.mine.add(origin);
    });
    watching.subscribe((event, origin) => {
      theirs.push(event);
      origins.theirs.add(origin);
    });
    const seen = until(watching, (e) => e.type === 'status' && e.status === 'done');
    const runId = await running.start({ ...defaultRecipe(), targetQuestions: 2 });
    await expect(watching.start(defaultRecipe())).rejects.toMatchObject({ code: 'run-locked' });
    await seen;

    const doneIn = (events: PipelineEvent[]) =>
      events.filter((e) => e.type === 'status' && e.status === 'done').length;
    expect(doneIn(mine)).toBe(1);
    expect(doneIn(theirs)).toBe(1);
    // Each tab can tell its own worker's run from one it only watches.
    expect([...origins.mine]).toEqual(['this-tab']);
    expect([...origins.theirs]).toEqual(['other-tab']);
    expect(theirs.some((e) => e.type === 'progress' && e.runId === runId)).toBe(true);
    // Model loading is this tab's business only.
    expect(theirs.some((e) => e.type === 'load')).toBe(false);
    expect(mine.some((e) => e.type === 'load')).toBe(true);
  });
});
