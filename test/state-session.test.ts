import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { CrescentError } from '../src/lib/crescent/errors';
import { curatedModels } from '../src/lib/engines/catalog';
import { ModelCatalog } from '../src/lib/state/modelCatalog.svelte';
import type { CrescentDb } from '../src/lib/db/schema';
import type { RunProgress } from '../src/lib/crescent/progress';
import type { Recipe } from '../src/lib/recipe/types';
import { RunSession } from '../src/lib/state/runSession.svelte';
import type { EventOrigin, PipelinePort, Services } from '../src/lib/state/services';
import { SetupForm } from '../src/lib/state/setupForm.svelte';
import type { GpuReport } from '../src/lib/engines/reports';
import type { PipelineEvent } from '../src/lib/worker/protocol';

const progress: RunProgress = {
  stage: 'answer',
  proposals: 12,
  accepted: 9,
  rejected: 3,
  malformed: 1,
  rejectedBy: { 'too-similar': 2, 'no-question': 1 },
  pairs: 7,
  passing: 7,
  samples: 20,
  samplesSaved: 4,
  tokens: 5000,
  tokensPerSecond: 25,
  decodeTokensPerSecond: 31,
  etaSeconds: 120,
  recentAcceptance: 0.75,
};

/** A pipeline that records requests and lets the test emit events. */
function fakeServices(options: { failStart?: boolean; inUse?: string } = {}) {
  const listeners: ((event: PipelineEvent, origin: EventOrigin) => void)[] = [];
  const started: Recipe[] = [];
  const resumed: string[] = [];
  const cached = new Set([
    'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    'Llama-3.2-1B-Instruct-q4f32_1-MLC',
  ]);
  const unloads = { count: 0 };
  const pipeline: PipelinePort = {
    async start(recipe) {
      if (options.failStart) throw new Error('worker crashed');
      started.push(recipe);
      return 'run-1';
    },
    async resume(runId) {
      resumed.push(runId);
    },
    async pause() {},
    async current() {
      return null;
    },
    async deleteCachedModel(model) {
      if (model === options.inUse) {
        throw new CrescentError({
          code: 'run-locked',
          message: 'A run is already going in this tab.',
          action: 'Pause that run first, or wait until it finishes.',
        });
      }
      cached.delete(model);
    },
    async unload() {
      unloads.count++;
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
    loadCatalog: async () => curatedModels(prebuiltAppConfig.model_list),
    cachedModels: async (ids) => new Set(ids.filter((id) => cached.has(id))),
    listEndpointModels: async () => ['llama3', 'qwen2.5'],
  };
  const emit = (event: PipelineEvent, origin: EventOrigin = 'this-tab') =>
    listeners.forEach((l) => l(event, origin));
  return { services, started, resumed, unloads, listeners, emit };
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

describe('the run session and other tabs', () => {
  it('listens from the moment it connects, before any run of its own', () => {
    const { services, listeners, emit } = fakeServices();
    const session = new RunSession(services);
    session.connect();
    session.connect();
    expect(listeners).toHaveLength(1);
    emit({ type: 'status', runId: 'run-7', status: 'interrupted' });
    expect(session.status).toBe('interrupted');
  });

  it('follows a run another tab executes, with its progress, and knows it cannot pause it', () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    session.connect();
    emit({ type: 'progress', runId: 'elsewhere', progress }, 'other-tab');
    expect(session.runId).toBe('elsewhere');
    expect(session.status).toBe('running');
    expect(session.active).toBe(true);
    expect(session.inAnotherTab).toBe(true);
    expect(session.progress?.pairs).toBe(7);

    emit(
      { type: 'progress', runId: 'elsewhere', progress: { ...progress, pairs: 8 } },
      'other-tab',
    );
    emit({ type: 'status', runId: 'elsewhere', status: 'done', reason: 'target' }, 'other-tab');
    expect(session.progress?.pairs).toBe(8);
    expect(session.status).toBe('done');
    expect(session.stopReason).toBe('target');
  });

  it('keeps showing its own run while another tab reports one', async () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    emit({ type: 'status', runId: 'run-1', status: 'running' });
    emit({ type: 'progress', runId: 'elsewhere', progress }, 'other-tab');
    expect(session.runId).toBe('run-1');
    expect(session.inAnotherTab).toBe(false);
    expect(session.progress).toBeNull();
  });

  it('takes back the section for its own run after following another tab', async () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    session.connect();
    emit({ type: 'status', runId: 'elsewhere', status: 'paused', reason: 'paused' }, 'other-tab');
    expect(session.inAnotherTab).toBe(true);
    await session.start({} as Recipe);
    expect(session.runId).toBe('run-1');
    expect(session.inAnotherTab).toBe(false);
    expect(session.stopReason).toBeNull();
  });
});

describe('the run session after a failure', () => {
  it('retries a failed run by resuming it, clearing the old error', async () => {
    const { services, resumed, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    emit({
      type: 'error',
      runId: 'run-1',
      error: { code: 'download-failed', message: 'The download broke off.' },
    });
    emit({ type: 'status', runId: 'run-1', status: 'failed', reason: 'error' });
    expect(session.status).toBe('failed');

    await session.resume('run-1');
    expect(resumed).toEqual(['run-1']);
    expect(session.status).toBe('loading');
    expect(session.error).toBeNull();
    expect(session.stopReason).toBeNull();
  });

  it('shows the storage fallback as an error without failing the run', async () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    const warning = {
      code: 'storage' as const,
      message:
        'The browser would not open its database (UnknownError: Internal error). This run is kept in memory only and is lost when the tab closes.',
    };
    emit({ type: 'error', runId: 'run-1', error: warning });
    emit({ type: 'status', runId: 'run-1', status: 'running' });
    expect(session.error).toEqual(warning);
    expect(session.status).toBe('running');
  });

  it('unloads the model once asked, until the next run loads one', async () => {
    const { services, unloads, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    emit({ type: 'status', runId: 'run-1', status: 'done', reason: 'target' });
    await session.unloadModel();
    expect(unloads.count).toBe(1);
    expect(session.unloaded).toBe(true);
    await session.start({} as Recipe);
    expect(session.unloaded).toBe(false);
  });

  it('keeps where the model runs past the later loading steps, until the next run', async () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    expect(session.place).toBeNull();
    emit({
      type: 'load',
      progress: { phase: 'ready', fraction: 1, text: 'm is ready', place: 'on 4 CPU threads' },
    });
    emit({ type: 'load', progress: { phase: 'embedder', fraction: 0.5, text: 'embedder' } });
    emit({ type: 'load', progress: { phase: 'ready', fraction: 1, text: 'Models ready' } });
    expect(session.place).toBe('on 4 CPU threads');
    emit({ type: 'status', runId: 'run-1', status: 'done', reason: 'target' });
    await session.start({} as Recipe);
    expect(session.place).toBeNull();
  });

  it('shows each loading step with its bytes, time left and cache origin', async () => {
    const { services, emit } = fakeServices();
    const session = new RunSession(services);
    await session.start({} as Recipe);
    expect(session.load).toBeNull();
    const steps = [
      { phase: 'preflight', fraction: null, text: 'Reading the GPU' },
      {
        phase: 'fetching',
        fraction: 0.25,
        text: 'Fetching param cache[5/20]',
        bytesLoaded: 250e6,
        bytesTotal: 1e9,
        etaSeconds: 42,
      },
      { phase: 'loading', fraction: 0.9, text: 'Loading onto the GPU', fromCache: true },
    ] as const;
    const seen: (typeof session.load)[] = [];
    for (const step of steps) {
      emit({ type: 'load', progress: step });
      seen.push(session.load);
    }
    expect(seen).toEqual(steps);
    expect(session.status).toBe('loading');
  });
});

describe('the model downloads', () => {
  const cachedId = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
  /** Without shader-f16 the list offers the q4f32 variants, the ones marked cached here. */
  const swiftShader: GpuReport = {
    webgpu: true,
    adapter: null,
    shaderF16: false,
    maxStorageBufferBindingSize: 2 ** 30,
    maxBufferSize: 2 ** 30,
    quantization: 'q4f32_1',
  };

  it('removes a download and drops its cached mark', async () => {
    const { services } = fakeServices();
    const catalog = new ModelCatalog(services, () => swiftShader);
    await catalog.load();
    await catalog.refreshCache();
    expect(catalog.isCached(cachedId)).toBe(true);

    await catalog.removeDownload(cachedId);
    expect(catalog.isCached(cachedId)).toBe(false);
    expect(catalog.isCached('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toBe(true);
    expect(catalog.removeError).toBeNull();
    expect(catalog.removing).toBeNull();
  });

  it('says why the worker refused to remove a model a run is using, and keeps its mark', async () => {
    const { services } = fakeServices({ inUse: cachedId });
    const catalog = new ModelCatalog(services, () => swiftShader);
    await catalog.load();
    await catalog.refreshCache();
    await catalog.removeDownload(cachedId);
    expect(catalog.isCached(cachedId)).toBe(true);
    expect(catalog.removeError).toEqual({
      model: cachedId,
      message:
        'A run is already going in this tab. Pause that run first, or wait until it finishes.',
    });
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
