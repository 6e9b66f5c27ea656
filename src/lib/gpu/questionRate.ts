// Questions per hour a recipe can expect at measured speeds: each accepted question costs the bait
// replies it takes to find one (1 / acceptance rate of them) and k answers.
import type { Recipe } from '../recipe/types';

export interface Speeds {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

export interface QuestionCost {
  baitPromptTokens: number;
  baitReplyTokens: number;
  /** Share of bait replies that become accepted questions, in (0, 1]. */
  acceptanceRate: number;
  votes: number;
  answerPromptTokens: number;
  answerReplyTokens: number;
}

export interface QuestionRate {
  /** Generated tokens per accepted question. */
  tokensPerQuestion: number;
  secondsPerQuestion: number;
  questionsPerHour: number;
}

/** About four characters a token for English text: the same rule the endpoint engine falls back on. */
const CHARS_PER_TOKEN = 4;

export function questionRate(cost: QuestionCost, speeds: Speeds): QuestionRate {
  if (!(cost.acceptanceRate > 0 && cost.acceptanceRate <= 1))
    throw new RangeError('acceptance rate must lie in (0, 1]');
  if (!(speeds.prefillTokensPerSecond > 0 && speeds.decodeTokensPerSecond > 0))
    throw new RangeError('speeds must be positive');
  const baits = 1 / cost.acceptanceRate;
  const request = (prompt: number, reply: number) =>
    prompt / speeds.prefillTokensPerSecond + reply / speeds.decodeTokensPerSecond;
  const secondsPerQuestion =
    baits * request(cost.baitPromptTokens, cost.baitReplyTokens) +
    cost.votes * request(cost.answerPromptTokens, cost.answerReplyTokens);
  return {
    tokensPerQuestion: baits * cost.baitReplyTokens + cost.votes * cost.answerReplyTokens,
    secondsPerQuestion,
    questionsPerHour: 3600 / secondsPerQuestion,
  };
}

/**
 * The cost of a question under a recipe with every reply as long as its limit allows: the slow end.
 * An answer request carries the question (at most a bait reply) and the answer suffix.
 */
export function recipeCostAtLimits(recipe: Recipe, acceptanceRate: number): QuestionCost {
  const tokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);
  return {
    baitPromptTokens: tokens(recipe.baitPrompt),
    baitReplyTokens: recipe.questionMaxTokens,
    acceptanceRate,
    votes: recipe.votes,
    answerPromptTokens: recipe.questionMaxTokens + tokens(recipe.answerSuffix),
    answerReplyTokens: recipe.answerMaxTokens,
  };
}
