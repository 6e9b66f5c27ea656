// The recipe's shape and limits as a valibot schema. It describes a complete recipe; parseRecipe
// checks an incoming object field by field against these entries and fills what is missing.
import * as v from 'valibot';
import type { Recipe, ThinkingSwitch } from './types';

const text = (max: number) =>
  v.pipe(v.string(), v.nonEmpty('Must not be empty.'), v.maxLength(max));
const httpUrl = v.pipe(
  v.string(),
  v.url('Must be a full URL.'),
  v.regex(/^https?:\/\//i, 'Must start with http:// or https://.'),
);
const int = (min: number, max: number) =>
  v.pipe(
    v.number(),
    v.integer('Must be a whole number.'),
    v.minValue(min, `Must be at least ${min}.`),
    v.maxValue(max, `Must be at most ${max}.`),
  );
const real = (min: number, max: number) =>
  v.pipe(
    v.number(),
    v.finite('Must be a finite number.'),
    v.minValue(min, `Must be at least ${min}.`),
    v.maxValue(max, `Must be at most ${max}.`),
  );

const THINKING_SWITCHES: readonly ThinkingSwitch[] = [
  'auto',
  'chat-template-kwargs',
  'reasoning-effort',
  'off',
];

export const WebLlmEngineSchema = v.object({
  kind: v.literal('webllm'),
  model: text(200),
  modelUrl: v.optional(httpUrl),
  modelLibUrl: v.optional(httpUrl),
});

export const WllamaEngineSchema = v.object({
  kind: v.literal('wllama'),
  model: text(300),
  modelUrl: v.optional(httpUrl),
  device: v.optional(v.picklist(['wasm', 'webgpu'])),
});

export const MAX_REPLICAS = 32;

export const OpenAiEngineSchema = v.object({
  kind: v.literal('openai'),
  baseUrl: httpUrl,
  baseUrls: v.optional(
    v.pipe(
      v.array(httpUrl),
      v.maxLength(MAX_REPLICAS, `At most ${MAX_REPLICAS} replicas.`),
      v.check((urls) => new Set(urls).size === urls.length, 'Each replica once.'),
    ),
  ),
  model: text(200),
  apiKey: v.optional(v.string()),
  concurrency: v.optional(int(1, 64)),
  thinkingSwitch: v.optional(
    v.picklist(THINKING_SWITCHES, `Must be one of: ${THINKING_SWITCHES.join(', ')}.`),
  ),
});

export const EngineSchema = v.variant('kind', [
  WebLlmEngineSchema,
  WllamaEngineSchema,
  OpenAiEngineSchema,
]);

export const TransformersEmbedderSchema = v.object({
  kind: v.literal('transformers'),
  model: text(200),
  url: v.optional(httpUrl),
  device: v.optional(v.picklist(['wasm', 'webgpu'])),
});

export const OpenAiEmbedderSchema = v.object({
  kind: v.literal('openai'),
  baseUrl: httpUrl,
  model: text(200),
  apiKey: v.optional(v.string()),
});

export const EmbedderSchema = v.variant('kind', [TransformersEmbedderSchema, OpenAiEmbedderSchema]);

export const BenchmarkSourceSchema = v.object({
  name: text(100),
  url: v.optional(httpUrl),
});

export const DecontaminationSchema = v.object({
  benchmarks: v.pipe(v.array(BenchmarkSourceSchema), v.maxLength(8, 'At most 8 benchmarks.')),
  ngram: int(0, 64),
  similarity: real(0, 1),
});

const PROMPT_MAX = 20_000;

export const RecipeSchema = v.object({
  version: v.literal(1, 'This app reads recipe version 1.'),
  engine: EngineSchema,
  embedder: EmbedderSchema,
  domain: text(64),
  baitPrompt: text(PROMPT_MAX),
  rewritePrompt: v.pipe(
    text(PROMPT_MAX),
    v.includes('{new}', 'Must contain {new}, where the rejected question goes.'),
    v.includes('{nearest}', 'Must contain {nearest}, where its nearest accepted question goes.'),
  ),
  answerSuffix: v.pipe(v.string(), v.maxLength(PROMPT_MAX)),
  targetQuestions: int(1, 100_000),
  votes: int(1, 64),
  similarityThreshold: real(0, 1),
  maxRewrites: int(0, 20),
  seed: int(0, 2 ** 32 - 1),
  temperature: real(0, 2),
  topP: v.pipe(real(0, 1), v.gtValue(0, 'Must be above 0.')),
  questionMaxTokens: int(16, 32_768),
  answerMaxTokens: int(16, 32_768),
  thinkAnswers: v.boolean(),
  proposalBudget: int(1, 10_000_000),
  saturationWindow: int(1, 100_000),
  saturationMinAcceptance: real(0, 1),
  minAgreement: real(0, 1),
  adaptiveVoting: v.boolean(),
  faithful: v.boolean(),
  decontamination: DecontaminationSchema,
});

export type RecipeOutput = v.InferOutput<typeof RecipeSchema>;

// Compile-time proof that the schema and the shared Recipe type describe the same objects.
type Assert<T extends true> = T;
export type _SchemaMatchesRecipe = Assert<RecipeOutput extends Recipe ? true : false>;
export type _RecipeMatchesSchema = Assert<Recipe extends RecipeOutput ? true : false>;
