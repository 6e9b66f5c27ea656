// The whole page over a pipeline the test scripts: for ui-scripted.spec.ts, which sends the
// events a real worker would (model loading, another tab's run) and looks at what the page shows.
import { mount } from 'svelte';
import App from '../../../src/App.svelte';
import { CrescentDb } from '../../../src/lib/db/schema';
import { loadCatalog } from '../../../src/lib/engines/catalog';
import { PacedChatEngine } from '../../../src/lib/engines/doubles/pacedEngine';
import { probeSpeed } from '../../../src/lib/engines/speedProbe';
import { preflight } from '../../../src/lib/engines/preflight';
import { AppState } from '../../../src/lib/state/app.svelte';
import type { EventOrigin, PipelinePort, Services } from '../../../src/lib/state/services';
import type { PipelineEvent } from '../../../src/lib/worker/protocol';
import '../../../src/app.css';
import '../../../src/tables.css';

const listeners = new Set<(event: PipelineEvent, origin: EventOrigin) => void>();
/** The requests the page made, in order. */
const calls: string[] = [];

/** The paced engine's speed behind measureSpeed. */
const PACE = { prefillMs: 2, decodeMs: 20 };

const pipeline: PipelinePort = {
  async start() {
    calls.push('start');
    return 'scripted-run';
  },
  async resume(runId) {
    calls.push(`resume ${runId}`);
  },
  async pause() {
    calls.push('pause');
  },
  async current() {
    return null;
  },
  async deleteCachedModel(model) {
    calls.push(`delete ${model}`);
  },
  async unload() {
    calls.push('unload');
  },
  async measureSpeed(engine) {
    calls.push(`measure ${engine.model}`);
    emit({
      type: 'load',
      progress: { phase: 'loading', fraction: 0.5, text: 'Loading the paced model' },
    });
    // A known pace, so the panel's figures can be checked: 2 ms a prompt token, 20 ms a reply token.
    const paced = new PacedChatEngine({ prefillMs: PACE.prefillMs, decodeMs: PACE.decodeMs });
    return probeSpeed(paced, { now: () => performance.now() });
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const services: Services = {
  db: new CrescentDb(),
  pipeline: () => pipeline,
  preflight: () => preflight(),
  deviceMemoryGB: () => undefined,
  loadCatalog,
  cachedModels: async () => new Set(),
  listEndpointModels: async () => [],
};

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');
const app = new AppState(services);
void app.open('');
mount(App, { target, props: { app } });

declare global {
  interface Window {
    scripted: {
      calls: string[];
      emit(event: PipelineEvent, origin?: EventOrigin): void;
      pace: { prefillMs: number; decodeMs: number };
    };
  }
}

function emit(event: PipelineEvent, origin: EventOrigin = 'this-tab'): void {
  for (const listener of listeners) listener(event, origin);
}

window.scripted = { calls, emit, pace: PACE };
