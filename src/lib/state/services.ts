// What the interface needs from outside the page itself, as one object handed to the state
// classes: the database, the pipeline worker, the GPU, the model cache and the network.
// createServices.ts builds the real one; tests pass their own.
import type { NetworkRecord } from '../network/tally';
import type { RunKeys } from '../recipe/secrets';
import type { CrescentDb } from '../db/schema';
import type { CatalogModel } from '../engines/catalog';
import type { EngineSpec, Recipe } from '../recipe/types';
import type { ModelSpeed } from '../engines/speedProbe';
import type { EventOrigin } from '../worker/client';
import type { GpuReport } from '../engines/reports';
import type { PipelineEvent, RunStatus } from '../worker/protocol';

export type { EventOrigin };

/** The pipeline worker as the UI uses it. */
export interface PipelinePort {
  start(recipe: Recipe): Promise<string>;
  resume(runId: string, keys?: RunKeys): Promise<void>;
  pause(): Promise<void>;
  current(): Promise<{ runId: string; status: RunStatus } | null>;
  /** Refused while a run of this tab uses the model. */
  deleteCachedModel(model: string): Promise<void>;
  /** Frees the GPU memory of the loaded models. */
  unload(): Promise<void>;
  /** Loads the engine as a run would and times it (absent in test doubles that cannot). */
  measureSpeed?(engine: EngineSpec): Promise<ModelSpeed>;
  /** What the worker has contacted, by origin (absent in test doubles that record nothing). */
  network?(): Promise<NetworkRecord>;
  /** Returns a function that stops listening. */
  subscribe(listener: (event: PipelineEvent, origin: EventOrigin) => void): () => void;
}

export interface Services {
  db: CrescentDb;
  /** The same worker every time; created when the page opens, so it recovers cut-off runs. */
  pipeline(): PipelinePort;
  preflight(): Promise<GpuReport>;
  /** `navigator.deviceMemory` in GiB, when the browser tells. */
  deviceMemoryGB(): number | undefined;
  /** The curated in-browser models, from web-llm's own list. */
  loadCatalog(): Promise<CatalogModel[]>;
  /** Ids of the in-browser models already downloaded to this browser. */
  cachedModels(ids: readonly string[]): Promise<Set<string>>;
  listEndpointModels(baseUrl: string, apiKey: string): Promise<string[]>;
  /** How many requests the endpoint serves at once, or null where it does not tell. */
  endpointSlots?(baseUrl: string, apiKey: string): Promise<number | null>;
  /** What the page itself has contacted, by origin (absent in test doubles that record nothing). */
  pageNetwork?(): NetworkRecord;
}
