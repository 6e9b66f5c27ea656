import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { curatedModels } from '../src/lib/engines/catalog';
import {
  modelChoices,
  needsMissingF16,
  suggestedModelId,
  variantForGpu,
} from '../src/lib/state/modelChoices';
import type { GpuReport } from '../src/lib/engines/reports';

const GiB = 1024 ** 3;
const swiftShader: GpuReport = {
  webgpu: true,
  adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
  shaderF16: false,
  maxStorageBufferBindingSize: GiB,
  maxBufferSize: GiB,
  quantization: 'q4f32_1',
};
const models = curatedModels(prebuiltAppConfig.model_list);

describe('the model picker', () => {
  it('offers the f32 variants to a GPU without shader-f16', () => {
    const choices = modelChoices(models, swiftShader);
    expect(choices.length).toBe(models.length);
    expect(choices.every((c) => c.id.includes('q4f32_1'))).toBe(true);
    expect(choices.every((c) => c.fit !== null)).toBe(true);
  });

  it('shows f16 variants without a fit mark before the GPU is read', () => {
    const choices = modelChoices(models, null);
    expect(choices.every((c) => c.id.includes('q4f16_1') && c.fit === null)).toBe(true);
    const qwen = choices.find((c) => c.label === 'Qwen2.5 1.5B Instruct');
    expect(qwen?.vramMB).toBeGreaterThan(1000);
    expect(qwen?.downloadMB).toBeGreaterThan(500);
  });

  it('suggests the variant of the default model this GPU can run', () => {
    expect(suggestedModelId(models, swiftShader)).toBe('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    const f16 = { ...swiftShader, shaderF16: true, quantization: 'q4f16_1' as const };
    expect(suggestedModelId(models, f16)).toBe('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
  });
});

describe('the model variant for a GPU', () => {
  it('switches f16 weights to f32 where shader-f16 is missing, and only then', () => {
    expect(variantForGpu('Qwen3-1.7B-q4f16_1-MLC', swiftShader)).toBe('Qwen3-1.7B-q4f32_1-MLC');
    expect(needsMissingF16('Qwen3-1.7B-q4f16_1-MLC', swiftShader)).toBe(true);
    const f16 = { ...swiftShader, shaderF16: true, quantization: 'q4f16_1' as const };
    expect(variantForGpu('Qwen3-1.7B-q4f16_1-MLC', f16)).toBe('Qwen3-1.7B-q4f16_1-MLC');
    expect(variantForGpu('Qwen3-1.7B-q4f16_1-MLC', null)).toBe('Qwen3-1.7B-q4f16_1-MLC');
    expect(variantForGpu('my-own-model', swiftShader)).toBe('my-own-model');
  });
});
