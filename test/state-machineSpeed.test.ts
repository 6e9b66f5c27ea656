import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import type { ModelSpeed } from '../src/lib/engines/speedProbe';
import type { BandwidthResult } from '../src/lib/gpu/bandwidth';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import type { Recipe } from '../src/lib/recipe/types';
import { MachineSpeed } from '../src/lib/state/machineSpeed.svelte';
import type { EventOrigin, PipelinePort } from '../src/lib/state/services';
import type { PipelineEvent } from '../src/lib/worker/protocol';

const speed: ModelSpeed = {
  model: 'm',
  promptTokens: 250,
  generatedTokens: 64,
  firstTokenSeconds: 0.5,
  replySeconds: 2,
  prefillTokensPerSecond: 500,
  decodeTokensPerSecond: 42,
  decodeSource: 'timed',
};

const gpu: BandwidthResult = {
  ok: true,
  bytes: 1024,
  seconds: [0.01],
  bestGBps: 100,
  medianGBps: 90,
  copyCorrect: true,
  timing: 'submit',
  adapter: 'test',
};

function machine(recipe: Recipe, measure?: PipelinePort['measureSpeed']) {
  const listeners = new Set<(event: PipelineEvent, origin: EventOrigin) => void>();
  const pipeline = {
    subscribe(listener: (event: PipelineEvent, origin: EventOrigin) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    measureSpeed: measure,
  } as unknown as PipelinePort;
  const state = new MachineSpeed({
    pipeline: () => pipeline,
    recipe: () => recipe,
    models: () => [],
    measureBandwidth: async () => gpu,
  });
  return { state, listeners };
}

describe('the On your GPU panel’s state', () => {
  it('bounds a GGUF model by the bandwidth over its file size, and reports the share reached', async () => {
    const recipe: Recipe = {
      ...defaultRecipe(),
      engine: { kind: 'wllama', model: 'SmolLM2-135M-Instruct-Q4_1', device: 'webgpu' },
    };
    const { state } = machine(recipe, async () => speed);
    expect(state.boundTokensPerSecond).toBeNull();
    await state.measureGpu();
    const bound = 100e9 / (98 * 1024 * 1024);
    expect(state.boundTokensPerSecond).toBeCloseTo(bound, 9);
    expect(state.shareOfBound).toBeNull();
    expect(state.questionRate).toBeNull();
    await state.measureModel();
    expect(state.shareOfBound).toBeCloseTo(42 / bound, 12);
    expect(state.questionRate?.tokensPerQuestion).toBe(
      2 * recipe.questionMaxTokens + recipe.votes * recipe.answerMaxTokens,
    );
  });

  it('passes the load events of this tab on while timing, and keeps a refusal as the error', async () => {
    const seen: (string | null)[] = [];
    let emit: (event: PipelineEvent, origin: EventOrigin) => void = () => {};
    const { state, listeners } = machine(defaultRecipe(), async () => {
      emit(
        { type: 'load', progress: { phase: 'loading', fraction: 0.5, text: 'other' } },
        'other-tab',
      );
      seen.push(state.load?.text ?? null);
      emit(
        { type: 'load', progress: { phase: 'loading', fraction: 0.5, text: 'mine' } },
        'this-tab',
      );
      seen.push(state.load?.text ?? null);
      throw new CrescentError({ code: 'run-locked', message: 'A run is already going.' });
    });
    emit = (event, origin) => {
      for (const listener of listeners) listener(event, origin);
    };
    await state.measureModel();
    expect(seen).toEqual([null, 'mine']);
    expect(state.speedError?.code).toBe('run-locked');
    expect(state.measuringModel).toBe(false);
    expect(listeners.size).toBe(0);
  });

  it('says so when the pipeline cannot time a model', async () => {
    const { state } = machine(defaultRecipe());
    await state.measureModel();
    expect(state.speedError?.message).toMatch(/cannot time/);
    expect(state.speed).toBeNull();
  });
});
