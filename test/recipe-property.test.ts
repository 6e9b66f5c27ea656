import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from '../src/lib/recipe/defaults';
import { recipeFromHash, recipeId, recipeLink, withoutSecrets } from '../src/lib/recipe/link';
import { parseRecipe } from '../src/lib/recipe/parse';
import { RecipeSchema } from '../src/lib/recipe/schema';
import type { Recipe } from '../src/lib/recipe/types';

const keys = Object.keys(RecipeSchema.entries);

/** Objects with the recipe's own keys (and some strangers) holding any JSON at all. */
const recipeLike = fc.dictionary(
  fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.record({
      kind: fc.constantFrom('webllm', 'openai', 'transformers', 'x'),
      model: fc.string(),
    }),
  ),
);

const int = (min: number, max: number) => fc.integer({ min, max });
const unit = fc.double({ min: 0, max: 1, noNaN: true });

const validRecipe: fc.Arbitrary<Recipe> = fc.record({
  version: fc.constant(1 as const),
  engine: fc.oneof(
    fc.record({
      kind: fc.constant('webllm' as const),
      model: fc.string({ minLength: 1, maxLength: 40 }),
    }),
    fc.record({
      kind: fc.constant('openai' as const),
      baseUrl: fc.constantFrom('http://127.0.0.1:11434/v1', 'https://api.example.com/v1'),
      model: fc.string({ minLength: 1, maxLength: 40 }),
      apiKey: fc.string(),
      concurrency: int(1, 64),
    }),
  ),
  embedder: fc.record({
    kind: fc.constant('transformers' as const),
    model: fc.string({ minLength: 1, maxLength: 40 }),
    device: fc.constantFrom('wasm' as const, 'webgpu' as const),
  }),
  domain: fc.constantFrom('math-llama3', 'math-llama2', 'custom'),
  baitPrompt: fc.string({ minLength: 1, maxLength: 200 }),
  rewritePrompt: fc.string({ maxLength: 50 }).map((s) => `${s}{new} vs {nearest}`),
  answerSuffix: fc.string({ maxLength: 100 }),
  targetQuestions: int(1, 100_000),
  votes: int(1, 64),
  similarityThreshold: unit,
  maxRewrites: int(0, 20),
  seed: int(0, 2 ** 32 - 1),
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  topP: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
  questionMaxTokens: int(16, 32_768),
  answerMaxTokens: int(16, 32_768),
  thinkAnswers: fc.boolean(),
  proposalBudget: int(1, 10_000_000),
  saturationWindow: int(1, 100_000),
  saturationMinAcceptance: unit,
  minAgreement: unit,
  adaptiveVoting: fc.boolean(),
  faithful: fc.boolean(),
  decontamination: fc.record({
    benchmarks: fc.array(
      fc.record(
        {
          name: fc.string({ minLength: 1, maxLength: 30 }),
          url: fc.constantFrom('https://example.com/test.jsonl', 'http://127.0.0.1:8000/b.jsonl'),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
    ngram: int(0, 64),
    similarity: unit,
  }),
});

describe('parseRecipe on any input', () => {
  it('always returns a recipe the schema accepts, and an issue for every field it did not keep', () => {
    fc.assert(
      fc.property(fc.oneof(recipeLike, fc.jsonValue()), (input) => {
        const { recipe, issues } = parseRecipe(input);
        expect(v.safeParse(RecipeSchema, recipe).success).toBe(true);
        if (typeof input !== 'object' || input === null || Array.isArray(input)) return;
        for (const [key, value] of Object.entries(input)) {
          const kept = JSON.stringify((recipe as unknown as Record<string, unknown>)[key]);
          const reported = issues.some((i) => i.path === key || i.path.startsWith(`${key}.`));
          if (kept !== JSON.stringify(value)) expect(reported, key).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('a valid recipe', () => {
  it('parses to itself with no issues', () => {
    fc.assert(
      fc.property(validRecipe, (recipe) => {
        expect(parseRecipe(JSON.parse(JSON.stringify(recipe)))).toEqual({ recipe, issues: [] });
      }),
    );
  });

  it('comes back from its link without its keys, under the same id', () => {
    fc.assert(
      fc.property(validRecipe, (recipe) => {
        const parsed = recipeFromHash(new URL(recipeLink(recipe, 'https://x.org/app')).hash);
        expect(parsed).toEqual({ recipe: withoutSecrets(recipe), issues: [] });
        expect(recipeId(parsed?.recipe ?? DEFAULT_RECIPE)).toBe(recipeId(recipe));
      }),
    );
  });
});
