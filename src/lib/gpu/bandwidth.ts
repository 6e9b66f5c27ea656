// Measures the GPU's memory bandwidth with a WGSL copy kernel: one storage buffer read, another
// written, timed over several submits after a warm-up. Runs in a page or a worker.
import { bandwidthGBps } from './decodeBound';
import {
  BUFFER_USAGE as USAGE,
  MAP_MODE_READ as MAP_READ,
  navigatorGpu,
  type AdapterLike,
  type BufferLike,
  type DeviceLike,
} from './webgpuLike';

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
      /** 'timestamps': the GPU's own clock around the pass; 'submit': submit to work done. */
      timing: 'timestamps' | 'submit';
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

export async function measureBandwidth(options: BandwidthOptions = {}): Promise<BandwidthResult> {
  const gpu = navigatorGpu();
  if (!gpu) return { ok: false, reason: 'This browser has no WebGPU.' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ok: false, reason: 'WebGPU gave no adapter: it is off or blocked here.' };
  const bytes = options.bytes ?? copyBytes(adapter.limits);
  if (bytes <= 0 || bytes % 16 !== 0) throw new RangeError('copy size must be a multiple of 16');
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
    requiredLimits: { maxStorageBufferBindingSize: bytes, maxBufferSize: bytes },
  });
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
    const copy = copier(device, source, target, bytes, timestamps, options.now);

    await copy();
    const timed: { seconds: number; stamped: boolean }[] = [];
    for (let i = 0; i < (options.iterations ?? 5); i++) timed.push(await copy());
    const seconds = timed.map((t) => t.seconds);
    const gbps = seconds.map((s) => bandwidthGBps(bytes, bytes, Math.max(s, 1e-6)));
    const copyCorrect = options.verify ? await copiedExactly(device, target, bytes) : null;
    source.destroy();
    target.destroy();
    return {
      ok: true,
      bytes,
      seconds,
      bestGBps: Math.max(...gbps),
      medianGBps: median(gbps),
      copyCorrect,
      timing: timed.every((t) => t.stamped) ? 'timestamps' : 'submit',
      adapter: adapterName(adapter),
    };
  } finally {
    device.destroy();
  }
}

function adapterName(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device].filter(Boolean);
  return parts.join(' · ') || info.description || 'unnamed adapter';
}

/**
 * One timed copy per call: the GPU's timestamps around the pass where the device has them (and
 * they read as a positive time), else the wall clock from submit to the queue's work done.
 */
function copier(
  device: DeviceLike,
  source: BufferLike,
  target: BufferLike,
  bytes: number,
  timestamps: boolean,
  now: () => number = () => performance.now(),
): () => Promise<{ seconds: number; stamped: boolean }> {
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
  const stamps = timestamps
    ? {
        querySet: device.createQuerySet({ type: 'timestamp', count: 2 }),
        resolved: device.createBuffer({ size: 16, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC }),
        read: device.createBuffer({ size: 16, usage: USAGE.MAP_READ | USAGE.COPY_DST }),
      }
    : null;
  return async () => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass(
      stamps
        ? {
            timestampWrites: {
              querySet: stamps.querySet,
              beginningOfPassWriteIndex: 0,
              endOfPassWriteIndex: 1,
            },
          }
        : {},
    );
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups);
    pass.end();
    if (stamps) {
      encoder.resolveQuerySet(stamps.querySet, 0, 2, stamps.resolved, 0);
      encoder.copyBufferToBuffer(stamps.resolved, 0, stamps.read, 0, 16);
    }
    const started = now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    const wall = (now() - started) / 1000;
    if (!stamps) return { seconds: wall, stamped: false };
    await stamps.read.mapAsync(MAP_READ);
    const [begin = 0n, end = 0n] = new BigUint64Array(stamps.read.getMappedRange());
    stamps.read.unmap();
    const gpuSeconds = Number(end - begin) / 1e9;
    // Browsers may quantise or zero the timestamps; the wall clock is the fallback.
    return gpuSeconds > 0
      ? { seconds: gpuSeconds, stamped: true }
      : { seconds: wall, stamped: false };
  };
}

/** Reads the output back a chunk at a time and compares each word with the input's. */
async function copiedExactly(
  device: DeviceLike,
  target: BufferLike,
  bytes: number,
): Promise<boolean> {
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
