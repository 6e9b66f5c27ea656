// Measures the GPU's memory bandwidth with a WGSL copy kernel: one storage buffer read, another
// written, timed over several submits after a warm-up. Runs in a page or a worker.
import { bandwidthGBps } from './decodeBound';

/** Each invocation copies 16-byte words, striding over the buffer so any size fits one dispatch. */
export const COPY_KERNEL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> input_words: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> output_words: array<vec4<u32>>;

@compute @workgroup_size(256)
fn copy(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * 256u;
  let n = arrayLength(&input_words);
  for (var i = id.x; i < n; i += stride) {
    output_words[i] = input_words[i];
  }
}
`;

// The WebGPU constants, as numbers: the DOM typings here carry no WebGPU.
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, STORAGE: 0x80 } as const;
const MAP_READ = 0x1;
const MiB = 1024 * 1024;
const WORKGROUP = 256;
const MAX_GROUPS = 8192;
const VERIFY_CHUNK = 16 * MiB;

export interface BandwidthOptions {
  /** Bytes in each buffer; default 256 MiB or the most the adapter binds, whichever is less. */
  bytes?: number;
  /** Timed submits after the warm-up (default 5). */
  iterations?: number;
  /** Reads the output back and compares it with the input. */
  verify?: boolean;
  now?: () => number;
}

export type BandwidthResult =
  | {
      ok: true;
      bytes: number;
      /** Seconds of each timed submit. */
      seconds: number[];
      /** From the fastest submit: what the memory can do. */
      bestGBps: number;
      medianGBps: number;
      /** Null when not checked. */
      copyCorrect: boolean | null;
      adapter: string;
    }
  | { ok: false; reason: string };

/** The buffer size to copy: a multiple of 16 bytes no larger than the adapter allows. */
export function copyBytes(limits: { maxStorageBufferBindingSize: number; maxBufferSize: number }) {
  const most = Math.min(256 * MiB, limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return Math.floor(most / MiB) * MiB;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The input's word at index i: distinct per word, so a wrong or partial copy shows. */
function pattern(i: number): number {
  return (Math.imul(i, 2654435761) ^ 0x5bd1e995) >>> 0;
}

// Structural types for the part of WebGPU used here (no @webgpu/types in this project).
/* eslint-disable @typescript-eslint/no-explicit-any */
type Gpu = { requestAdapter(options?: object): Promise<any> };

function gpuOf(): Gpu | undefined {
  return (globalThis.navigator as { gpu?: Gpu } | undefined)?.gpu;
}

export async function measureBandwidth(options: BandwidthOptions = {}): Promise<BandwidthResult> {
  const gpu = gpuOf();
  if (!gpu) return { ok: false, reason: 'This browser has no WebGPU.' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ok: false, reason: 'WebGPU gave no adapter: it is off or blocked here.' };
  const bytes = options.bytes ?? copyBytes(adapter.limits);
  if (bytes <= 0 || bytes % 16 !== 0) throw new RangeError('copy size must be a multiple of 16');
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize: bytes, maxBufferSize: bytes },
  });
  const now = options.now ?? (() => performance.now());
  try {
    const source = device.createBuffer({
      size: bytes,
      usage: USAGE.STORAGE | USAGE.COPY_SRC,
      mappedAtCreation: true,
    });
    const words = new Uint32Array(source.getMappedRange());
    for (let i = 0; i < words.length; i++) words[i] = pattern(i);
    source.unmap();
    const target = device.createBuffer({ size: bytes, usage: USAGE.STORAGE | USAGE.COPY_SRC });
    const module = device.createShaderModule({ code: COPY_KERNEL });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'copy' },
    });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: source } },
        { binding: 1, resource: { buffer: target } },
      ],
    });
    const groups = Math.min(MAX_GROUPS, Math.ceil(bytes / 16 / WORKGROUP));
    const copyOnce = async (): Promise<number> => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups);
      pass.end();
      const started = now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (now() - started) / 1000;
    };

    await copyOnce();
    const seconds: number[] = [];
    for (let i = 0; i < (options.iterations ?? 5); i++) seconds.push(await copyOnce());
    const gbps = seconds.map((s) => bandwidthGBps(bytes, bytes, Math.max(s, 1e-6)));
    const copyCorrect = options.verify ? await copiedExactly(device, target, bytes) : null;
    source.destroy();
    target.destroy();
    const info = adapter.info ?? {};
    const adapterName =
      [info.vendor, info.architecture, info.device].filter(Boolean).join(' · ') ||
      info.description ||
      'unnamed adapter';
    return {
      ok: true,
      bytes,
      seconds,
      bestGBps: Math.max(...gbps),
      medianGBps: median(gbps),
      copyCorrect,
      adapter: adapterName,
    };
  } finally {
    device.destroy();
  }
}

/** Reads the output back a chunk at a time and compares each word with the input's. */
async function copiedExactly(device: any, target: any, bytes: number): Promise<boolean> {
  const chunk = Math.min(VERIFY_CHUNK, bytes);
  const staging = device.createBuffer({ size: chunk, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  try {
    for (let offset = 0; offset < bytes; offset += chunk) {
      const size = Math.min(chunk, bytes - offset);
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(target, offset, staging, 0, size);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_READ, 0, size);
      const words = new Uint32Array(staging.getMappedRange(0, size));
      const first = offset / 4;
      let same = true;
      for (let i = 0; i < words.length; i++) {
        if (words[i] !== pattern(first + i)) {
          same = false;
          break;
        }
      }
      staging.unmap();
      if (!same) return false;
    }
    return true;
  } finally {
    staging.destroy();
  }
}
