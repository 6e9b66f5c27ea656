// The recipe a new run starts from: the paper's settings (DEFAULT_CONFIG) on a small web-llm model.
import { DEFAULT_CONFIG } from '../crescent/config';
import { DOMAIN_PRESETS, MATH_LLAMA3, type DomainPreset } from '../crescent/prompts';
import type { EmbedderSpec, EngineSpec, Recipe } from './types';

export const DEFAULT_ENGINE: EngineSpec = {
  kind: 'webllm',
  model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
};

export const DEFAULT_EMBEDDER: EmbedderSpec = {
  kind: 'transformers',
  model: 'Xenova/all-MiniLM-L6-v2',
};

/** The preset a domain id names; unknown ids and 'custom' start from the paper's Llama-3 prompts. */
export function presetFor(domain: string): DomainPreset {
  return DOMAIN_PRESETS.find((preset) => preset.id === domain) ?? MATH_LLAMA3;
}

/** A complete recipe with every default; prompts follow the given domain's preset. */
export function defaultRecipe(domain: string = MATH_LLAMA3.id): Recipe {
  const preset = presetFor(domain);
  const {
    domain: _preset,
    failureStreakLimit: _limit,
    rewriteDelay: _delay,
    decontamination: rule,
    ...config
  } = DEFAULT_CONFIG;
  return {
    version: 1,
    engine: { ...DEFAULT_ENGINE },
    embedder: { ...DEFAULT_EMBEDDER },
    domain,
    baitPrompt: preset.baitPrompt,
    rewritePrompt: preset.rewriteTemplate,
    answerSuffix: preset.answerSuffix,
    ...config,
    decontamination: { benchmarks: [], ...rule },
  };
}

export const DEFAULT_RECIPE: Readonly<Recipe> = defaultRecipe();
