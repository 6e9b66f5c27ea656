// The whole page over a pipeline the test scripts: for ui-scripted.spec.ts, which sends the
// events a real worker would (model loading, another tab's run) and looks at what the page shows.
import { mount } from 'svelte';
import App from '../../../src/App.svelte';
import { CrescentDb } from '../../../src/lib/db/schema';
import { loadCatalog } from '../../../src/lib/engines/catalog';
import { preflight } from '../../../src/lib/engines/preflight';
import { AppState } from '../../../src/lib/state/app.svelte';
import type { EventOrigin, PipelinePort, Services } from '../../../src/lib/state/services';
import type { PipelineEvent } from '../../../src/lib/worker/protocol';
import '../../../src/app.css';

const listeners = new Set<(event: PipelineEvent, origin: EventOrigin) => void>();
/** The requests the page made, in order. */
const calls: string[] = [];

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
    };
  }
}

window.scripted = {
  calls,
  emit(event, origin = 'this-tab') {
    for (const listener of listeners) listener(event, origin);
  },
};
