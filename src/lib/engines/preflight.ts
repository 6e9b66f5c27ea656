// Reads the WebGPU adapter before anything is downloaded: is there a GPU, can it do f16 maths,
// and are its buffer limits large enough for web-llm. Never throws; problems come back in the report.
import type { ErrorInfo } from '../crescent/errors';
import type { GpuReport } from './reports';

/** The parts of the WebGPU API the preflight reads; `navigator.gpu` satisfies it in a window or a worker. */
export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<GpuAdapterLike | null>;
}

export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: {
    readonly maxStorageBufferBindingSize: number;
    readonly maxBufferSize: number;
    readonly maxComputeWorkgroupStorageSize?: number;
    readonly maxStorageBuffersPerShaderStage?: number;
  };
  /** Chrome 127+; older browsers only have requestAdapterInfo(). */
  readonly info?: GpuAdapterInfoLike;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
}

const MiB = 1024 * 1024;

/** web-llm's own floor (detectGPUDevice): below these it refuses to start, after downloading. */
const WEBLLM_MIN_LIMITS = {
  maxBufferSize: 256 * MiB,
  maxStorageBufferBindingSize: 128 * MiB,
  maxComputeWorkgroupStorageSize: 32 * 1024,
  maxStorageBuffersPerShaderStage: 10,
} as const;

const ADAPTER_TIMEOUT_MS = 10_000;

const GET_WEBGPU =
  'Use a recent Chrome or Edge; on Linux enable chrome://flags/#enable-unsafe-webgpu; ' +
  'or use an OpenAI-compatible endpoint instead.';

function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

function emptyReport(problem: ErrorInfo, webgpu: boolean): GpuReport {
  return {
    webgpu,
    adapter: null,
    shaderF16: false,
    maxStorageBufferBindingSize: 0,
    maxBufferSize: 0,
    quantization: null,
    problem,
  };
}

async function requestAdapter(gpu: GpuLike): Promise<GpuAdapterLike | null> {
  // A broken driver can leave requestAdapter pending forever; treat that as no adapter.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ADAPTER_TIMEOUT_MS);
  });
  try {
    const adapter = await Promise.race([
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      timeout,
    ]);
    return adapter ?? (await Promise.race([gpu.requestAdapter(), timeout]));
  } finally {
    clearTimeout(timer);
  }
}

async function readInfo(adapter: GpuAdapterLike): Promise<NonNullable<GpuReport['adapter']>> {
  let info: GpuAdapterInfoLike = adapter.info ?? {};
  if (adapter.info === undefined && typeof adapter.requestAdapterInfo === 'function') {
    info = await adapter.requestAdapterInfo().catch(() => ({}));
  }
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
}

/** The first limit below web-llm's floor, described for a person; null when all are enough. */
function limitShortfall(limits: GpuAdapterLike['limits']): string | null {
  for (const [name, floor] of Object.entries(WEBLLM_MIN_LIMITS)) {
    const value = limits[name as keyof typeof WEBLLM_MIN_LIMITS];
    if (value !== undefined && value < floor) return `${name} is ${value}, web-llm needs ${floor}`;
  }
  return null;
}

export async function preflight(
  gpu: GpuLike | null | undefined = navigatorGpu(),
): Promise<GpuReport> {
  if (gpu === null || gpu === undefined) {
    return emptyReport(
      { code: 'no-webgpu', message: 'This browser does not offer WebGPU.', action: GET_WEBGPU },
      false,
    );
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await requestAdapter(gpu);
  } catch {
    adapter = null;
  }
  if (adapter === null) {
    return emptyReport(
      {
        code: 'no-adapter',
        message:
          'WebGPU is present but no GPU adapter is available (blocklisted driver or disabled GPU).',
        action: GET_WEBGPU,
      },
      true,
    );
  }

  const shaderF16 = adapter.features.has('shader-f16');
  const report: GpuReport = {
    webgpu: true,
    adapter: await readInfo(adapter),
    shaderF16,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    quantization: shaderF16 ? 'q4f16_1' : 'q4f32_1',
  };
  const shortfall = limitShortfall(adapter.limits);
  if (shortfall !== null) {
    report.problem = {
      code: 'no-adapter',
      message: `This GPU's WebGPU limits are too small for in-browser models (${shortfall}).`,
      action: 'Use another device or browser, or an OpenAI-compatible endpoint instead.',
    };
  }
  return report;
}
