import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import {
  curatedModels as curatedFrom,
  defaultModel,
  findModel,
  fit,
  isThinkingModel,
  loadCatalog,
  pickModelId,
  type CatalogModel,
} from '../src/lib/engines/catalog';
import type { GpuReport } from '../src/lib/engines/reports';

const GiB = 1024 ** 3;
const curatedModels = (list = prebuiltAppConfig.model_list) => curatedFrom(list);

function gpu(overrides: Partial<GpuReport> = {}): GpuReport {
  return {
    webgpu: true,
    adapter: { vendor: 'nvidia', architecture: 'ampere', device: '', description: '' },
    shaderF16: true,
    maxStorageBufferBindingSize: 2 * GiB,
    maxBufferSize: 4 * GiB,
    quantization: 'q4f16_1',
    ...overrides,
  };
}

const laptopWithoutF16 = gpu({ shaderF16: false, quantization: 'q4f32_1' });
const phone = gpu({ maxStorageBufferBindingSize: 128 * 1024 ** 2, maxBufferSize: 256 * 1024 ** 2 });

function model(family: string): CatalogModel {
  const found = curatedModels().find((m) => m.family === family);
  if (!found) throw new Error(`${family} missing from the catalog`);
  return found;
}

describe('curated model catalog', () => {
  it('holds all fourteen curated families', () => {
    expect(curatedModels().map((m) => m.family)).toEqual([
      'Qwen2.5-0.5B-Instruct',
      'Qwen2.5-1.5B-Instruct',
      'Qwen2.5-3B-Instruct',
      'Qwen2.5-Math-1.5B-Instruct',
      'Llama-3.2-1B-Instruct',
      'Llama-3.2-3B-Instruct',
      'Qwen3-0.6B',
      'Qwen3-1.7B',
      'Qwen3-4B',
      'Qwen3-8B',
      'Qwen3.5-0.8B',
      'Qwen3.5-2B',
      'Qwen3.5-4B',
      'Qwen3.5-9B',
    ]);
  });

  it('names only model ids that web-llm ships in its prebuilt config', () => {
    const known = new Set(prebuiltAppConfig.model_list.map((r) => r.model_id));
    for (const m of curatedModels()) {
      expect(known.has(m.variants.q4f16_1.modelId), m.variants.q4f16_1.modelId).toBe(true);
      expect(known.has(m.variants.q4f32_1.modelId), m.variants.q4f32_1.modelId).toBe(true);
    }
  });

  it('reads VRAM figures from web-llm rather than keeping its own', () => {
    const record = prebuiltAppConfig.model_list.find(
      (r) => r.model_id === 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
    );
    expect(model('Qwen2.5-1.5B-Instruct').variants.q4f32_1.vramMB).toBe(record?.vram_required_MB);
    expect(record?.vram_required_MB).toBeGreaterThan(0);
  });

  it('loads the same catalog from web-llm on demand', async () => {
    expect(await loadCatalog()).toEqual(curatedModels());
  });

  it('drops a family the given model list lacks in either quantization', () => {
    const list = prebuiltAppConfig.model_list.filter((r) => r.model_id !== 'Qwen3-4B-q4f32_1-MLC');
    expect(curatedFrom(list).map((m) => m.family)).not.toContain('Qwen3-4B');
    expect(curatedFrom(list)).toHaveLength(13);
  });

  it('estimates downloads from parameters at 4.5 bits (f16 scales) and 5 bits (f32 scales)', () => {
    const qwen = model('Qwen2.5-1.5B-Instruct');
    expect(qwen.variants.q4f16_1.downloadMB).toBe(826);
    expect(qwen.variants.q4f32_1.downloadMB).toBe(918);
  });

  it('marks the Qwen3 and Qwen3.5 families as thinking models and the others not', () => {
    const thinking = curatedModels()
      .filter((m) => m.thinking)
      .map((m) => m.family);
    expect(thinking).toEqual([
      'Qwen3-0.6B',
      'Qwen3-1.7B',
      'Qwen3-4B',
      'Qwen3-8B',
      'Qwen3.5-0.8B',
      'Qwen3.5-2B',
      'Qwen3.5-4B',
      'Qwen3.5-9B',
    ]);
    expect(isThinkingModel('Qwen3-1.7B-q4f32_1-MLC')).toBe(true);
    expect(isThinkingModel('Qwen2.5-Math-1.5B-Instruct-q4f16_1-MLC')).toBe(false);
    expect(isThinkingModel('Qwen3-14B-q4f16_1-MLC')).toBe(true);
  });

  it('finds the family and quantization behind a model id', () => {
    const found = findModel('Llama-3.2-3B-Instruct-q4f32_1-MLC', curatedModels());
    expect(found?.model.family).toBe('Llama-3.2-3B-Instruct');
    expect(found?.quantization).toBe('q4f32_1');
    expect(findModel('gpt-4o', curatedModels())).toBeUndefined();
  });
});

describe('choosing a variant and judging fit', () => {
  it('picks the f32 variant when the GPU has no shader-f16', () => {
    const qwen = model('Qwen2.5-0.5B-Instruct');
    expect(pickModelId(qwen, laptopWithoutF16)).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(pickModelId(qwen, gpu())).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
  });

  it('says nothing fits without WebGPU', () => {
    const none = gpu({ webgpu: false, adapter: null, quantization: null });
    expect(fit(model('Qwen2.5-0.5B-Instruct'), none)).toBe('too-big');
  });

  it('rules out models that need large buffers on a GPU with phone-sized limits', () => {
    expect(fit(model('Qwen3-8B'), phone)).toBe('too-big');
    expect(fit(model('Qwen2.5-0.5B-Instruct'), phone)).toBe('may-not-fit');
  });

  it('weighs VRAM against the device memory hint', () => {
    expect(fit(model('Qwen2.5-1.5B-Instruct'), gpu(), 4)).toBe('fits');
    expect(fit(model('Qwen2.5-3B-Instruct'), gpu(), 4)).toBe('may-not-fit');
    expect(fit(model('Qwen3-8B'), gpu(), 4)).toBe('too-big');
    expect(fit(model('Qwen3.5-9B'), gpu(), 8)).toBe('may-not-fit');
    expect(fit(model('Qwen3-4B'), gpu(), 8)).toBe('fits');
  });

  it('doubts models above 4 GiB of VRAM when memory is unknown', () => {
    expect(fit(model('Qwen3-8B'), gpu())).toBe('may-not-fit');
    expect(fit(model('Qwen3-1.7B'), gpu())).toBe('fits');
  });

  it('defaults to Qwen2.5-1.5B on a typical laptop and to 0.5B on small hardware', () => {
    const models = curatedModels();
    expect(defaultModel(models, laptopWithoutF16).family).toBe('Qwen2.5-1.5B-Instruct');
    expect(defaultModel(models, phone).family).toBe('Qwen2.5-0.5B-Instruct');
    expect(defaultModel(models, gpu(), 2).family).toBe('Qwen2.5-0.5B-Instruct');
  });
});
