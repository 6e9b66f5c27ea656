import { describe, expect, it } from 'vitest';
import type { CrescentDb } from '../src/lib/db/schema';
import type { RunProgress } from '../src/lib/crescent/progress';
import type { Recipe } from '../src/lib/recipe/types';
import { RunSession } from '../src/lib/state/runSession.svelte';
import type { PipelinePort, Services } from '../src/lib/state/services';
import { SetupForm } from '../src/lib/state/setupForm.svelte';
import type { PipelineEvent } from '../src/lib/worker/protocol';

const progress: RunProgress = {
  stage: 'answer',
  proposals: 12,
  accepted: 9,
  rejected: 3,
  malformed: 1,
  pairs: 7,
  samples: 20,
  samplesSaved: 4,
  tokens: 5000,
  tokensPerSecond: 25,
  decodeTokensPerSecond: 31,
  etaSeconds: 120,
  recentAcceptance: 0.75,
};

/** A pipeline that records requests and lets the test emit events. */
function fakeServices(options: { failStart?: boolean } = {}) {
  const listeners: ((event: PipelineEvent) => void)[] = [];
  const started: Recipe[] = [];
  const pipeline: PipelinePort = {
    async start(recipe) {
      if (options.failStart) throw new Error('worker crashed');
      started.push(recipe);
      return 'run-1';
    },
    async resume() {},
    async pause() {},
    async current() {
      return null;
    },
    subscribe(listener) {
      listeners.push(listener);
      return () => {};
    },
  };
  const services: Services = {
    db: {} as CrescentDb,
    pipeline: () => pipeline,
    preflight: () => Promise.reject(new Error('not in this test')),
    deviceMemoryGB: () => undefined,
    loadCatalog: async () => [],
    cachedModels: async () => new Set(),
    listEndpointModels: async () => ['llama3', 'qwen2.5'],
  };
  const emit = (event: PipelineEvent) => listeners.forEach((l) => l(event));
  return { services, started, emit };
}

describe('the run session', () => {
  it('follows the worker from loading through progress to the stop reason', async () => {
    const { services, started, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({ votes: 3 } as Recipe);
    expect(started).toHaveLength(1);
    expect(session.runId).toBe('run-1');
    expect(session.status).toBe('loading');

    emit({ type: 'load', progress: { phase: 'fetching', fraction: 0.5, text: 'half' } });
    expect(session.load?.fraction).toBe(0.5);
    emit({ type: 'status', runId: 'run-1', status: 'running' });
    emit({ type: 'progress', runId: 'run-1', progress });
    expect(session.active).toBe(true);
    expect(session.progress?.pairs).toBe(7);

    emit({ type: 'progress', runId: 'another-tab', progress: { ...progress, pairs: 99 } });
    expect(session.progress?.pairs).toBe(7);

    emit({ type: 'status', runId: 'run-1', status: 'done', reason: 'target' });
    expect(session.status).toBe('done');
    expect(session.stopReason).toBe('target');
    expect(session.active).toBe(false);
  });

  it('shows a typed error with its suggested action', async () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    emit({
      type: 'error',
      runId: 'run-1',
      error: {
        code: 'out-of-memory',
        message: 'GPU memory ran out.',
        action: 'Pick a smaller model.',
      },
    });
    expect(session.error).toEqual({
      code: 'out-of-memory',
      message: 'GPU memory ran out.',
      action: 'Pick a smaller model.',
    });
    session.dismissError();
    expect(session.error).toBeNull();
  });

  it('turns a failed start into an error and a failed status', async () => {
    const { services } = fakeServices({ failStart: true });
    const session = new RunSession(services);
    await session.start({} as Recipe);
    expect(session.status).toBe('failed');
    expect(session.error?.message).toBe('worker crashed');
    expect(session.busy).toBe(false);
  });
});

describe('the setup form state', () => {
  it('fills from a recipe link and lists the invalid fields', () => {
    const form = new SetupForm(fakeServices().services);
    const hash = '#recipe=' + encodeURIComponent(JSON.stringify({ votes: 7, temperature: 'hot' }));
    expect(form.openLink(hash)).toBe(true);
    expect(form.fields.votes).toBe(7);
    expect(form.fields.temperature).toBe(1);
    expect(form.loadedFrom).toBe('link');
    expect(form.loadedIssues.map((i) => i.path)).toEqual(['temperature']);
    expect(form.openLink('#section=data')).toBe(false);
  });

  it('refuses to start an endpoint run without a model, and lists the endpoint models', async () => {
    const form = new SetupForm(fakeServices().services);
    form.fields.engineKind = 'openai';
    expect(form.problems).toEqual([
      { path: 'engine.model', message: 'Pick or type the endpoint model.' },
    ]);
    expect(form.canStart).toBe(false);
    await form.fetchEndpointModels();
    expect(form.endpointModels).toEqual({ state: 'ready', models: ['llama3', 'qwen2.5'] });
    expect(form.fields.endpointModel).toBe('llama3');
    expect(form.canStart).toBe(true);
  });

  it('reports a recipe file that is not JSON without changing the form', () => {
    const form = new SetupForm(fakeServices().services);
    form.fields.votes = 9;
    form.openJson('{ not json', 'broken.json');
    expect(form.fields.votes).toBe(9);
    expect(form.loadedFrom).toBe('broken.json');
    expect(form.loadedIssues[0]?.message).toMatch(/^Not valid JSON/);
  });

  it('keeps the API key out of the shared recipe but puts it in the run recipe', () => {
    const form = new SetupForm(fakeServices().services);
    form.fields.engineKind = 'openai';
    form.fields.endpointModel = 'llama3';
    form.setApiKey('sk-abc');
    expect(form.json).not.toContain('sk-abc');
    expect(form.shareLink('https://app.example/')).not.toContain('sk-abc');
    expect(form.runRecipe().engine).toMatchObject({ apiKey: 'sk-abc' });
  });
});
