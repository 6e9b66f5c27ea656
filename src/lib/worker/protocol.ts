// The typed contract between the UI and the pipeline worker. The worker implements
// PipelineApi and exposes it with comlink; the UI holds a comlink Remote<PipelineApi>.
import type { ErrorInfo } from '../crescent/errors';
import type { RunProgress, StopReason } from '../crescent/progress';
import type { Recipe } from '../recipe/types';

export type { RunProgress, StopReason };

export type RunStatus =
  'idle' | 'loading' | 'running' | 'paused' | 'interrupted' | 'done' | 'failed';

export interface LoadProgress {
  phase: 'preflight' | 'fetching' | 'loading' | 'embedder' | 'benchmarks' | 'ready';
  /** 0..1, null when unknown. */
  fraction: number | null;
  text: string;
  bytesLoaded?: number;
  bytesTotal?: number;
  etaSeconds?: number | null;
  fromCache?: boolean;
}

export type PipelineEvent =
  | { type: 'status'; runId: string | null; status: RunStatus; reason?: StopReason }
  | { type: 'load'; progress: LoadProgress }
  | { type: 'progress'; runId: string; progress: RunProgress }
  | { type: 'error'; runId: string | null; error: ErrorInfo };

export interface GpuReport {
  webgpu: boolean;
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  shaderF16: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  /** 'q4f16_1' when shader-f16 is there, else 'q4f32_1'. */
  quantization: 'q4f16_1' | 'q4f32_1' | null;
  /** Why WebGPU is not usable, when it is not. */
  problem?: ErrorInfo;
}

export interface PipelineApi {
  /** Reads the GPU without downloading anything. */
  preflight(): Promise<GpuReport>;
  /** Starts a new run from a recipe; resolves with its id once it is stored. */
  start(recipe: Recipe): Promise<string>;
  /** Continues a stored run from where it stopped. */
  resume(runId: string): Promise<void>;
  /** Stops the current run after the request in flight; everything produced is kept. */
  pause(): Promise<void>;
  /** Receives every event; the callback is a comlink proxy. */
  subscribe(listener: (event: PipelineEvent) => void): Promise<void>;
  /** The run this worker is executing now, if any. */
  current(): Promise<{ runId: string; status: RunStatus } | null>;
  isModelCached(model: string): Promise<boolean>;
  deleteCachedModel(model: string): Promise<void>;
  unload(): Promise<void>;
}
