import { describe, expect, it } from 'vitest';
import { preflight, type GpuAdapterLike, type GpuLike } from '../src/lib/engines/preflight';

const GiB = 1024 ** 3;

function adapter(overrides: Partial<GpuAdapterLike> = {}, features: string[] = []): GpuAdapterLike {
  return {
    features: new Set(features),
    limits: {
      maxStorageBufferBindingSize: 2 * GiB,
      maxBufferSize: 4 * GiB,
      maxComputeWorkgroupStorageSize: 32768,
      maxStorageBuffersPerShaderStage: 10,
    },
    info: { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2' },
    ...overrides,
  };
}

function gpuWith(...adapters: (GpuAdapterLike | null)[]): GpuLike & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    requestAdapter: async (options) => {
      calls.push(options);
      return adapters[calls.length - 1] ?? null;
    },
  };
}

describe('preflight', () => {
  it('reports no WebGPU when the browser has no navigator.gpu', async () => {
    const report = await preflight(null);
    expect(report.webgpu).toBe(false);
    expect(report.quantization).toBeNull();
    expect(report.problem?.code).toBe('no-webgpu');
    expect(report.problem?.action).toContain('OpenAI-compatible endpoint');
  });

  it('reports no adapter when neither power preference yields one', async () => {
    const gpu = gpuWith(null, null);
    const report = await preflight(gpu);
    expect(report.webgpu).toBe(true);
    expect(report.adapter).toBeNull();
    expect(report.problem?.code).toBe('no-adapter');
    expect(gpu.calls).toEqual([{ powerPreference: 'high-performance' }, undefined]);
  });

  it('reports no adapter, without throwing, when requestAdapter rejects', async () => {
    const report = await preflight({ requestAdapter: () => Promise.reject(new Error('blocked')) });
    expect(report.problem?.code).toBe('no-adapter');
  });

  it('chooses q4f16_1 when the adapter has shader-f16 and reads its limits and info', async () => {
    const report = await preflight(gpuWith(adapter({}, ['shader-f16'])));
    expect(report).toEqual({
      webgpu: true,
      adapter: { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2' },
      shaderF16: true,
      maxStorageBufferBindingSize: 2 * GiB,
      maxBufferSize: 4 * GiB,
      quantization: 'q4f16_1',
    });
  });

  it('chooses q4f32_1 without shader-f16', async () => {
    const report = await preflight(gpuWith(adapter()));
    expect(report.shaderF16).toBe(false);
    expect(report.quantization).toBe('q4f32_1');
    expect(report.problem).toBeUndefined();
  });

  it('falls back to requestAdapterInfo() on browsers without adapter.info', async () => {
    const old = adapter({
      info: undefined,
      requestAdapterInfo: async () => ({ vendor: 'intel', architecture: 'gen-12lp' }),
    });
    const report = await preflight(gpuWith(old));
    expect(report.adapter).toEqual({
      vendor: 'intel',
      architecture: 'gen-12lp',
      device: '',
      description: '',
    });
  });

  it('flags limits below what web-llm needs before anything is downloaded', async () => {
    const small = adapter({
      limits: { maxStorageBufferBindingSize: 64 * 1024 ** 2, maxBufferSize: 256 * 1024 ** 2 },
    });
    const report = await preflight(gpuWith(small));
    expect(report.quantization).toBe('q4f32_1');
    expect(report.problem?.code).toBe('no-adapter');
    expect(report.problem?.message).toContain('maxStorageBufferBindingSize is 67108864');
  });
});
