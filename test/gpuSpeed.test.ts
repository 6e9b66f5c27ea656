import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { curatedModels } from '../src/lib/engines/catalog';
import { GGUF_CATALOG } from '../src/lib/engines/ggufCatalog';
import {
  bandwidthGBps,
  boundTokensPerSecond,
  estimateWeights,
  mlcBitsPerWeight,
} from '../src/lib/gpu/decodeBound';
import { questionRate, recipeCostAtLimits } from '../src/lib/gpu/questionRate';
import { defaultRecipe } from '../src/lib/recipe/defaults';

const models = curatedModels(prebuiltAppConfig.model_list);

describe('memory bandwidth and the decode bound', () => {
  it('counts the bytes read and the bytes written over the time taken', () => {
    // 256 MiB read and 256 MiB written in 10 ms.
    const bytes = 256 * 1024 * 1024;
    expect(bandwidthGBps(bytes, bytes, 0.01)).toBeCloseTo(53.687, 3);
    expect(bandwidthGBps(1e9, 0, 1)).toBe(1);
  });

  it('refuses a time that is not positive', () => {
    expect(() => bandwidthGBps(1, 1, 0)).toThrow(RangeError);
    expect(() => bandwidthGBps(1, 1, Number.NaN)).toThrow(RangeError);
  });

  it('bounds decoding by the bandwidth divided by the weights read per token', () => {
    // 100 GB/s over 1 GB of weights: at most 100 tokens a second.
    expect(boundTokensPerSecond(100, 1e9)).toBe(100);
    expect(boundTokensPerSecond(50, 250e6)).toBe(200);
    expect(() => boundTokensPerSecond(100, 0)).toThrow(RangeError);
  });
});

describe('weight bytes per model', () => {
  it('reads MLC quantisation codes as bits per weight', () => {
    expect(mlcBitsPerWeight('q4f16_1')).toBe(4.5);
    expect(mlcBitsPerWeight('q4f32_1')).toBe(5);
    expect(mlcBitsPerWeight('q0f16')).toBe(16);
    expect(mlcBitsPerWeight('q3f16_1')).toBe(3.5);
    expect(mlcBitsPerWeight('int8')).toBeNull();
  });

  it('gives every curated web-llm model its parameters times the bits of its quantisation', () => {
    for (const model of models) {
      for (const q of ['q4f16_1', 'q4f32_1'] as const) {
        const estimate = estimateWeights(
          { kind: 'webllm', model: model.variants[q].modelId },
          models,
        );
        const bits = q === 'q4f16_1' ? 4.5 : 5;
        expect(estimate?.bytes).toBeCloseTo((model.paramsB * 1e9 * bits) / 8, 0);
        expect(estimate?.basis).toContain(q);
      }
    }
  });

  it('puts the 1.5B Qwen at 866 MB in q4f16_1', () => {
    const estimate = estimateWeights(
      { kind: 'webllm', model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC' },
      models,
    );
    expect(estimate?.bytes).toBeCloseTo(866.25e6, -3);
    expect(estimate?.basis).toBe('1.54 B parameters × 4.5 bits (q4f16_1)');
  });

  it('reads size and quantisation from an id outside the curated list', () => {
    const estimate = estimateWeights(
      { kind: 'webllm', model: 'Phi-3.5-mini-3.8B-q4f32_1-MLC' },
      [],
    );
    expect(estimate?.bytes).toBeCloseTo((3.8e9 * 5) / 8, 0);
  });

  it('takes a GGUF catalog model at its file size', () => {
    for (const gguf of GGUF_CATALOG) {
      const estimate = estimateWeights({ kind: 'wllama', model: gguf.id }, models);
      expect(estimate?.bytes).toBe(gguf.sizeMB * 1024 * 1024);
      expect(estimate?.basis).toContain(gguf.quantization);
    }
  });

  it('does not guess for an endpoint, a local file or an unknown web-llm id', () => {
    const endpoint = { kind: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' } as const;
    expect(estimateWeights(endpoint, models)).toBeNull();
    expect(estimateWeights({ kind: 'wllama', model: 'file:mine.gguf' }, models)).toBeNull();
    expect(estimateWeights({ kind: 'webllm', model: 'some-model-MLC' }, models)).toBeNull();
  });
});

describe('questions per hour', () => {
  const speeds = { prefillTokensPerSecond: 1000, decodeTokensPerSecond: 50 };

  it('adds the bait replies an accepted question takes and its k answers', () => {
    const rate = questionRate(
      {
        baitPromptTokens: 100,
        baitReplyTokens: 100,
        acceptanceRate: 0.5,
        votes: 4,
        answerPromptTokens: 200,
        answerReplyTokens: 300,
      },
      speeds,
    );
    // 2 baits x 100 + 4 answers x 300.
    expect(rate.tokensPerQuestion).toBe(1400);
    // 2 x (0.1 + 2) + 4 x (0.2 + 6) = 4.2 + 24.8 = 29 s.
    expect(rate.secondsPerQuestion).toBeCloseTo(29, 9);
    expect(rate.questionsPerHour).toBeCloseTo(3600 / 29, 9);
  });

  it('refuses an acceptance rate outside (0, 1] and speeds that are not positive', () => {
    const cost = recipeCostAtLimits(defaultRecipe(), 0.5);
    expect(() => questionRate({ ...cost, acceptanceRate: 0 }, speeds)).toThrow(RangeError);
    expect(() => questionRate({ ...cost, acceptanceRate: 1.5 }, speeds)).toThrow(RangeError);
    expect(() => questionRate(cost, { ...speeds, decodeTokensPerSecond: 0 })).toThrow(RangeError);
  });

  it('costs a recipe at its token limits, the answer prompt carrying the question', () => {
    const recipe = { ...defaultRecipe(), votes: 8, questionMaxTokens: 256, answerMaxTokens: 1024 };
    const cost = recipeCostAtLimits(recipe, 0.25);
    expect(cost.votes).toBe(8);
    expect(cost.baitReplyTokens).toBe(256);
    expect(cost.answerReplyTokens).toBe(1024);
    expect(cost.baitPromptTokens).toBe(Math.ceil(recipe.baitPrompt.length / 4));
    expect(cost.answerPromptTokens).toBe(256 + Math.ceil(recipe.answerSuffix.length / 4));
    expect(questionRate(cost, speeds).tokensPerQuestion).toBe(4 * 256 + 8 * 1024);
  });
});
