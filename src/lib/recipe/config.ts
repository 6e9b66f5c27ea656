// From a recipe (what the user chose) to the core's RunConfig (what the algorithm needs).
import { DEFAULT_CONFIG, rewriteDelayFor, type RunConfig } from '../crescent/config';
import { DOMAIN_PRESETS, customDomain, type DomainPreset } from '../crescent/prompts';
import type { Recipe } from './types';

/**
 * The recipe's prompts as a DomainPreset: the named preset when all three prompts are still the
 * preset's own, else a custom domain, so an edited prompt is never reported under a preset's name.
 */
export function recipeDomain(recipe: Recipe): DomainPreset {
  const preset = DOMAIN_PRESETS.find((p) => p.id === recipe.domain);
  if (
    preset &&
    preset.baitPrompt === recipe.baitPrompt &&
    preset.rewriteTemplate === recipe.rewritePrompt &&
    preset.answerSuffix === recipe.answerSuffix
  ) {
    return preset;
  }
  return customDomain(recipe.baitPrompt, {
    rewriteTemplate: recipe.rewritePrompt,
    answerSuffix: recipe.answerSuffix,
  });
}

export function recipeToConfig(recipe: Recipe, runId: string): RunConfig {
  return {
    runId,
    domain: recipeDomain(recipe),
    targetQuestions: recipe.targetQuestions,
    votes: recipe.votes,
    similarityThreshold: recipe.similarityThreshold,
    maxRewrites: recipe.maxRewrites,
    rewriteDelay: rewriteDelayFor(recipe.targetQuestions),
    faithful: recipe.faithful,
    seed: recipe.seed,
    temperature: recipe.temperature,
    topP: recipe.topP,
    questionMaxTokens: recipe.questionMaxTokens,
    answerMaxTokens: recipe.answerMaxTokens,
    thinkAnswers: recipe.thinkAnswers,
    proposalBudget: recipe.proposalBudget,
    saturationWindow: recipe.saturationWindow,
    saturationMinAcceptance: recipe.saturationMinAcceptance,
    minAgreement: recipe.minAgreement,
    adaptiveVoting: recipe.adaptiveVoting,
    failureStreakLimit: DEFAULT_CONFIG.failureStreakLimit,
    decontamination: {
      ngram: recipe.decontamination.ngram,
      similarity: recipe.decontamination.similarity,
    },
  };
}
