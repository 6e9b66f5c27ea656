// Drives the pipeline worker (with test doubles) through the UI's own client, for worker.spec.ts.
import { CrescentError } from '../../../src/lib/crescent/errors';
import { CrescentDb } from '../../../src/lib/db/schema';
import { defaultRecipe } from '../../../src/lib/recipe/defaults';
import type { Recipe } from '../../../src/lib/recipe/types';
import { createPipelineClient } from '../../../src/lib/worker/client';
import type { PipelineEvent, RunStatus } from '../../../src/lib/worker/protocol';
import { runEnd } from '../../support/runEnd';

// `?worker=production` runs the app's own worker (real engines); the default swaps in test doubles.
const production = new URLSearchParams(location.search).get('worker') === 'production';
const client = production
  ? createPipelineClient()
  : createPipelineClient(
      new Worker(new URL('./worker-doubles.worker.ts', import.meta.url), { type: 'module' }),
    );
const events: PipelineEvent[] = [];
client.subscribe((event) => events.push(event));

/** What a failed call threw, as plain data the test can read. */
interface Thrown {
  isCrescentError: boolean;
  name: string;
  code?: string;
  message: string;
  action?: string;
}

async function attempt(call: () => Promise<unknown>): Promise<Thrown | null> {
  try {
    await call();
    return null;
  } catch (error) {
    return {
      isCrescentError: error instanceof CrescentError,
      name: error instanceof Error ? error.name : typeof error,
      code: error instanceof CrescentError ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
      action: error instanceof CrescentError ? error.action : undefined,
    };
  }
}

function recipe(overrides: Partial<Recipe> = {}, model = 'scripted-fast'): Recipe {
  return { ...defaultRecipe(), engine: { kind: 'webllm', model }, ...overrides };
}

/** Resolves with the status that ended the run. */
function endOf(runId: string): Promise<RunStatus> {
  return runEnd(client, events, runId);
}

function statusOf(runId: string, wanted: RunStatus): Promise<void> {
  return new Promise((resolve) => {
    const seen = () =>
      events.some((e) => e.type === 'status' && e.runId === runId && e.status === wanted);
    if (seen()) return resolve();
    const stop = client.subscribe(() => {
      if (!seen()) return;
      stop();
      resolve();
    });
  });
}

const harness = {
  events,
  ready: true,
  start: (overrides: Partial<Recipe>, model?: string) => client.start(recipe(overrides, model)),
  runToEnd: async (overrides: Partial<Recipe>): Promise<string> => {
    const runId = await client.start(recipe(overrides));
    await statusOf(runId, 'done');
    return runId;
  },
  waitForStatus: statusOf,
  /** Starts a complete recipe and resolves with how the run ended. */
  runRecipe: async (full: Recipe): Promise<{ runId: string; status: RunStatus }> => {
    const runId = await client.start(full);
    return { runId, status: await endOf(runId) };
  },
  defaultRecipe,
  pause: () => client.pause(),
  attemptStart: (overrides: Partial<Recipe>) => attempt(() => client.start(recipe(overrides))),
  attemptDelete: (model: string) => attempt(() => client.deleteCachedModel(model)),
  attemptResume: (runId: string) => attempt(() => client.resume(runId)),
  preflight: () => client.preflight(),
  /** Reads what landed in IndexedDB, through a connection of its own. */
  stored: async (runId: string) => {
    const db = new CrescentDb();
    try {
      const row = await db.runs.get(runId);
      const pairs = await db.pairs.where('runId').equals(runId).toArray();
      const questions = await db.questions.where('runId').equals(runId).count();
      return { status: row?.status, stats: row?.stats, pairs: pairs.length, questions };
    } finally {
      db.close();
    }
  },
};

declare global {
  interface Window {
    crescent: typeof harness;
  }
}

window.crescent = harness;
