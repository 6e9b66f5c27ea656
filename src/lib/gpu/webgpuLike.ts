// The part of WebGPU the bandwidth kernel uses, as structural types: this project's DOM typings
// carry no WebGPU, and `navigator.gpu` satisfies these in a page or a worker.

export const BUFFER_USAGE = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  STORAGE: 0x80,
  QUERY_RESOLVE: 0x200,
} as const;
export const MAP_MODE_READ = 0x1;

export interface BufferLike {
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  unmap(): void;
  destroy(): void;
}

export interface ComputePassLike {
  setPipeline(pipeline: unknown): void;
  setBindGroup(index: number, group: unknown): void;
  dispatchWorkgroups(x: number): void;
  end(): void;
}

export interface TimestampWrites {
  querySet: unknown;
  beginningOfPassWriteIndex: number;
  endOfPassWriteIndex: number;
}

export interface CommandEncoderLike {
  beginComputePass(descriptor?: { timestampWrites?: TimestampWrites }): ComputePassLike;
  copyBufferToBuffer(
    source: BufferLike,
    sourceOffset: number,
    target: BufferLike,
    targetOffset: number,
    size: number,
  ): void;
  resolveQuerySet(
    querySet: unknown,
    first: number,
    count: number,
    target: BufferLike,
    offset: number,
  ): void;
  finish(): unknown;
}

export interface DeviceLike {
  readonly queue: { submit(buffers: unknown[]): void; onSubmittedWorkDone(): Promise<void> };
  createBuffer(descriptor: { size: number; usage: number; mappedAtCreation?: boolean }): BufferLike;
  createShaderModule(descriptor: { code: string }): unknown;
  createComputePipeline(descriptor: {
    layout: 'auto';
    compute: { module: unknown; entryPoint: string };
  }): { getBindGroupLayout(index: number): unknown };
  createBindGroup(descriptor: {
    layout: unknown;
    entries: { binding: number; resource: { buffer: BufferLike } }[];
  }): unknown;
  createCommandEncoder(): CommandEncoderLike;
  createQuerySet(descriptor: { type: 'timestamp'; count: number }): { destroy(): void };
  destroy(): void;
}

export interface AdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(descriptor: {
    requiredFeatures?: string[];
    requiredLimits?: Record<string, number>;
  }): Promise<DeviceLike>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' }): Promise<AdapterLike | null>;
}

export function navigatorGpu(): GpuLike | undefined {
  return (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
}
