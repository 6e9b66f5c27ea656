// What the interface needs from outside the page itself, as one object handed to the state
// classes: the database, the pipeline worker, the GPU, the model cache and the network.
// createServices.ts builds the real one; tests pass their own.
import type { CrescentDb } from '../db/schema';
import type { CatalogModel } from '../engines/catalog';
import type { Recipe } from '../recipe/types';
import type { GpuReport, PipelineEvent, RunStatus } from '../worker/protocol';

/** The pipeline worker as the UI uses it. */
export interface PipelinePort {
  start(recipe: Recipe): Promise<string>;
  resume(runId: string): Promise<void>;
  pause(): Promise<void>;
  current(): Promise<{ runId: string; status: RunStatus } | null>;
  /** Returns a function that stops listening. */
  subscribe(listener: (event: PipelineEvent) => void): () => void;
}

export interface Services {
  db: CrescentDb;
  /** Created on first use, so merely opening the page starts no worker. */
  pipeline(): PipelinePort;
  preflight(): Promise<GpuReport>;
  /** `navigator.deviceMemory` in GiB, when the browser tells. */
  deviceMemoryGB(): number | undefined;
  /** The curated in-browser models, from web-llm's own list. */
  loadCatalog(): Promise<CatalogModel[]>;
  /** Ids of the in-browser models already downloaded to this browser. */
  cachedModels(ids: readonly string[]): Promise<Set<string>>;
  listEndpointModels(baseUrl: string, apiKey: string): Promise<string[]>;
}
