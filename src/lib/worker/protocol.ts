// The typed contract between the UI and the pipeline worker. The worker implements
// PipelineApi and exposes it with comlink; the UI holds a comlink Remote<PipelineApi>.
import type { RunKeys } from '../recipe/secrets';
import type { NetworkRecord } from '../network/tally';
import type { ErrorInfo } from '../crescent/errors';
import type { RunProgress, StopReason } from '../crescent/progress';
import type { GpuReport, LoadProgress } from '../engines/reports';
import type { ModelSpeed } from '../engines/speedProbe';
import type { EngineSpec, Recipe } from '../recipe/types';

export type { RunProgress, StopReason };

export type RunStatus =
  'idle' | 'loading' | 'running' | 'paused' | 'interrupted' | 'done' | 'failed';

export type PipelineEvent =
  | { type: 'status'; runId: string | null; status: RunStatus; reason?: StopReason }
  | { type: 'load'; progress: LoadProgress }
  | { type: 'progress'; runId: string; progress: RunProgress }
  | { type: 'error'; runId: string | null; error: ErrorInfo };

export interface PipelineApi {
  /** Reads the GPU without downloading anything. */
  preflight(): Promise<GpuReport>;
  /** Starts a new run from a recipe; resolves with its id once it is stored. */
  start(recipe: Recipe): Promise<string>;
  /** Continues a stored run from where it stopped. */
  /** `keys`: the API keys the run was started with, which are never stored with it. */
  resume(runId: string, keys?: RunKeys): Promise<void>;
  /** Stops the current run after the request in flight; everything produced is kept. */
  pause(): Promise<void>;
  /** Receives every event; the callback is a comlink proxy. */
  subscribe(listener: (event: PipelineEvent) => void): Promise<void>;
  /** The run this worker is executing now, if any. */
  current(): Promise<{ runId: string; status: RunStatus } | null>;
  isModelCached(model: string): Promise<boolean>;
  deleteCachedModel(model: string): Promise<void>;
  unload(): Promise<void>;
  /**
   * Loads the engine as a run would (its progress comes as 'load' events) and times it on a fixed
   * prompt; the engine stays loaded for the next run. Refused while a run goes on.
   */
  measureSpeed(engine: EngineSpec): Promise<ModelSpeed>;
  /**
   * What this worker has contacted, by origin, from its own resource timing and its fetch
   * relay's.
   */
  network(): Promise<NetworkRecord>;
  /**
   * Makes the endpoint's requests through a fetch relay (fetchRelay.ts) reached over this port,
   * once it answers; until then, and without one, they are made here.
   */
  useFetchRelay(port: MessagePort): Promise<void>;
}
