// What engines report while they get ready: the GPU they found and how loading goes. The worker
// passes these on to the UI; they live here so that engines never depend on the worker.
import type { ErrorInfo } from '../crescent/errors';

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

export interface LoadProgress {
  phase: 'preflight' | 'fetching' | 'loading' | 'embedder' | 'benchmarks' | 'ready';
  /** 0..1, null when unknown. */
  fraction: number | null;
  text: string;
  bytesLoaded?: number;
  bytesTotal?: number;
  etaSeconds?: number | null;
  fromCache?: boolean;
  /** Where the chat model runs once loaded, in words ("on 4 CPU threads", "on WebGPU, …"). */
  place?: string;
}
