// The setup form as flat, bindable fields, and the two-way mapping to the recipe. Both engines'
// settings are kept side by side so switching engine in the form loses nothing.
import { DEFAULT_CONFIG } from '../crescent/config';
import { DEFAULT_GGUF_MODEL } from '../engines/ggufCatalog';
import { DOMAIN_PRESETS, MATH_LLAMA3 } from '../crescent/prompts';
import type {
  Decontamination,
  EmbedderSpec,
  EngineSpec,
  Recipe,
  ThinkingSwitch,
} from '../recipe/types';

export const MINILM = 'Xenova/all-MiniLM-L6-v2';
const FALLBACK_WEBLLM_MODEL = 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC';

export type EngineKind = EngineSpec['kind'];
/** MiniLM from the default location, MiniLM from the user's own copy, or the endpoint's embeddings. */
export type EmbedderChoice = 'minilm' | 'self-hosted' | 'endpoint';

/** The recipe's own fields as they are, plus both engines' and embedders' settings flattened. */
export type SetupFields = Omit<Recipe, 'version' | 'engine' | 'embedder'> & {
  engineKind: EngineKind;
  webllmModel: string;
  /** The GGUF engine's model: a catalog id or a Hub `owner/repo/file.gguf`. */
  ggufModel: string;
  /** Where the .gguf is fetched from instead, when set. */
  ggufUrl: string;
  ggufDevice: 'wasm' | 'webgpu';
  endpointUrl: string;
  /** More base URLs of the same model, one a line. */
  endpointReplicas: string;
  endpointModel: string;
  endpointConcurrency: number;
  endpointThinkingSwitch: ThinkingSwitch;
  embedderChoice: EmbedderChoice;
  embedderUrl: string;
  embedderModel: string;
};

export function defaultFields(webllmModel: string = FALLBACK_WEBLLM_MODEL): SetupFields {
  const {
    domain: _domain,
    failureStreakLimit: _limit,
    decontamination: rule,
    ...numbers
  } = DEFAULT_CONFIG;
  return {
    engineKind: 'webllm',
    webllmModel,
    ggufModel: DEFAULT_GGUF_MODEL,
    ggufUrl: '',
    ggufDevice: 'wasm',
    endpointUrl: 'http://127.0.0.1:11434/v1',
    endpointReplicas: '',
    endpointModel: '',
    endpointConcurrency: 4,
    endpointThinkingSwitch: 'auto',
    embedderChoice: 'minilm',
    embedderUrl: '',
    embedderModel: 'nomic-embed-text',
    domain: MATH_LLAMA3.id,
    baitPrompt: MATH_LLAMA3.baitPrompt,
    rewritePrompt: MATH_LLAMA3.rewriteTemplate,
    answerSuffix: MATH_LLAMA3.answerSuffix,
    ...numbers,
    decontamination: { benchmarks: [], ...rule },
  };
}

function engineOf(f: SetupFields, apiKey: string | undefined): EngineSpec {
  if (f.engineKind === 'webllm') return { kind: 'webllm', model: f.webllmModel };
  if (f.engineKind === 'wllama') {
    const url = f.ggufUrl.trim();
    return {
      kind: 'wllama',
      model: f.ggufModel.trim(),
      ...(url ? { modelUrl: url } : {}),
      device: f.ggufDevice,
    };
  }
  const spec: EngineSpec = {
    kind: 'openai',
    baseUrl: f.endpointUrl.trim(),
    model: f.endpointModel.trim(),
    concurrency: f.endpointConcurrency,
  };
  const replicas = replicaLines(f.endpointReplicas);
  if (replicas.length > 0) spec.baseUrls = replicas;
  // 'auto' is what an absent switch means, so recipes that never chose one stay as they were.
  if (f.endpointThinkingSwitch !== 'auto') spec.thinkingSwitch = f.endpointThinkingSwitch;
  if (apiKey) spec.apiKey = apiKey;
  return spec;
}

/** The replicas' base URLs as typed: one a line, blank lines ignored. */
export function replicaLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function embedderOf(f: SetupFields, apiKey: string | undefined): EmbedderSpec {
  if (f.embedderChoice === 'endpoint') {
    const spec: EmbedderSpec = {
      kind: 'openai',
      baseUrl: f.endpointUrl.trim(),
      model: f.embedderModel.trim(),
    };
    if (apiKey) spec.apiKey = apiKey;
    return spec;
  }
  const spec: EmbedderSpec = { kind: 'transformers', model: MINILM };
  if (f.embedderChoice === 'self-hosted') spec.url = f.embedderUrl.trim();
  return spec;
}

/** The recipe the form describes. The API key goes in only when given (for a run, never a link). */
export function recipeFromFields(f: SetupFields, apiKey?: string): Recipe {
  return {
    version: 1,
    engine: engineOf(f, apiKey),
    embedder: embedderOf(f, apiKey),
    domain: f.domain,
    baitPrompt: f.baitPrompt,
    rewritePrompt: f.rewritePrompt,
    answerSuffix: f.answerSuffix,
    targetQuestions: f.targetQuestions,
    votes: f.votes,
    similarityThreshold: f.similarityThreshold,
    maxRewrites: f.maxRewrites,
    seed: f.seed,
    temperature: f.temperature,
    topP: f.topP,
    questionMaxTokens: f.questionMaxTokens,
    answerMaxTokens: f.answerMaxTokens,
    thinkAnswers: f.thinkAnswers,
    proposalBudget: f.proposalBudget,
    saturationWindow: f.saturationWindow,
    saturationMinAcceptance: f.saturationMinAcceptance,
    minAgreement: f.minAgreement,
    adaptiveVoting: f.adaptiveVoting,
    faithful: f.faithful,
    decontamination: copyDecontamination(f.decontamination),
  };
}

/** The form for a recipe; settings of the engine it does not use keep their current values. */
export function fieldsFromRecipe(recipe: Recipe, base: SetupFields = defaultFields()): SetupFields {
  const f: SetupFields = { ...base };
  const { engine, embedder } = recipe;
  f.engineKind = engine.kind;
  if (engine.kind === 'webllm') f.webllmModel = engine.model;
  else if (engine.kind === 'wllama') {
    f.ggufModel = engine.model;
    f.ggufUrl = engine.modelUrl ?? '';
    f.ggufDevice = engine.device ?? 'wasm';
  } else {
    f.endpointUrl = engine.baseUrl;
    f.endpointReplicas = (engine.baseUrls ?? []).join('\n');
    f.endpointModel = engine.model;
    if (engine.concurrency !== undefined) f.endpointConcurrency = engine.concurrency;
    f.endpointThinkingSwitch = engine.thinkingSwitch ?? 'auto';
  }
  if (embedder.kind === 'openai') {
    f.embedderChoice = 'endpoint';
    f.embedderModel = embedder.model;
    if (engine.kind !== 'openai') f.endpointUrl = embedder.baseUrl;
  } else if (embedder.url) {
    f.embedderChoice = 'self-hosted';
    f.embedderUrl = embedder.url;
  } else f.embedderChoice = 'minilm';
  f.domain = recipe.domain;
  f.baitPrompt = recipe.baitPrompt;
  f.rewritePrompt = recipe.rewritePrompt;
  f.answerSuffix = recipe.answerSuffix;
  f.targetQuestions = recipe.targetQuestions;
  f.votes = recipe.votes;
  f.similarityThreshold = recipe.similarityThreshold;
  f.maxRewrites = recipe.maxRewrites;
  f.seed = recipe.seed;
  f.temperature = recipe.temperature;
  f.topP = recipe.topP;
  f.questionMaxTokens = recipe.questionMaxTokens;
  f.answerMaxTokens = recipe.answerMaxTokens;
  f.thinkAnswers = recipe.thinkAnswers;
  f.proposalBudget = recipe.proposalBudget;
  f.saturationWindow = recipe.saturationWindow;
  f.saturationMinAcceptance = recipe.saturationMinAcceptance;
  f.minAgreement = recipe.minAgreement;
  f.adaptiveVoting = recipe.adaptiveVoting;
  f.faithful = recipe.faithful;
  f.decontamination = copyDecontamination(recipe.decontamination);
  return f;
}

function copyDecontamination(d: Decontamination): Decontamination {
  return { ...d, benchmarks: d.benchmarks.map((b) => ({ ...b })) };
}

/** Picking a preset puts its exact prompts in the form; 'custom' keeps what is there to edit. */
export function applyDomain(f: SetupFields, domainId: string): SetupFields {
  const preset = DOMAIN_PRESETS.find((p) => p.id === domainId);
  if (!preset) return { ...f, domain: domainId };
  return {
    ...f,
    domain: preset.id,
    baitPrompt: preset.baitPrompt,
    rewritePrompt: preset.rewriteTemplate,
    answerSuffix: preset.answerSuffix,
  };
}

/** Whether the prompts still equal the chosen preset's (if not, the form calls it edited). */
export function promptsEdited(f: SetupFields): boolean {
  const preset = DOMAIN_PRESETS.find((p) => p.id === f.domain);
  if (!preset) return false;
  return (
    f.baitPrompt !== preset.baitPrompt ||
    f.rewritePrompt !== preset.rewriteTemplate ||
    f.answerSuffix !== preset.answerSuffix
  );
}
