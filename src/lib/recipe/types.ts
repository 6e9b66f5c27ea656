// The recipe: one JSON object that describes a run completely (stored, exported, shared as a link).

export type EngineSpec =
  | { kind: 'webllm'; model: string; modelUrl?: string; modelLibUrl?: string }
  | {
      /** llama.cpp in the browser: a GGUF model on the CPU (wasm) or on WebGPU. */
      kind: 'wllama';
      /** A catalog id or a Hub `owner/repo/file.gguf`. */
      model: string;
      /** The URL of the .gguf (or its first split), overriding where it is fetched from. */
      modelUrl?: string;
      device?: 'webgpu' | 'wasm';
    }
  | {
      kind: 'openai';
      baseUrl: string;
      /** More base URLs serving the same model (replicas); requests spread over all of them. */
      baseUrls?: string[];
      model: string;
      apiKey?: string;
      /** Requests in flight at once on each replica. */
      concurrency?: number;
      /** How requests ask a thinking model not to think; absent is 'auto'. */
      thinkingSwitch?: ThinkingSwitch;
    };

/**
 * 'chat-template-kwargs': `chat_template_kwargs: { enable_thinking: false }` (vLLM, llama-server);
 * 'reasoning-effort': `reasoning_effort: 'none'` (Ollama's /v1);
 * 'off': neither, for servers that reject fields they do not know;
 * 'auto': guessed from the base URL, and dropped for good once the server refuses it.
 */
export type ThinkingSwitch = 'auto' | 'chat-template-kwargs' | 'reasoning-effort' | 'off';

export type EmbedderSpec =
  | { kind: 'transformers'; model: string; url?: string; device?: 'wasm' | 'webgpu' }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string };

export interface Recipe {
  /** Schema version of this object. */
  version: 1;
  engine: EngineSpec;
  embedder: EmbedderSpec;
  /** 'math-llama3' | 'math-llama2' | 'custom' */
  domain: string;
  baitPrompt: string;
  rewritePrompt: string;
  answerSuffix: string;
  targetQuestions: number;
  votes: number;
  similarityThreshold: number;
  maxRewrites: number;
  seed: number;
  temperature: number;
  topP: number;
  questionMaxTokens: number;
  answerMaxTokens: number;
  thinkAnswers: boolean;
  proposalBudget: number;
  saturationWindow: number;
  saturationMinAcceptance: number;
  /** The quality bar, 0..1: keep a pair when at least ceil(minAgreement x votes) samples agree. */
  minAgreement: number;
  adaptiveVoting: boolean;
  faithful: boolean;
  /** Public test sets the questions must keep away from; none is no check. */
  decontamination: Decontamination;
}

/**
 * A test set to check against: fetched from `url` (cached in the browser), or, without a url, a
 * file the user loaded into this browser under `name`.
 */
export interface BenchmarkSource {
  name: string;
  url?: string;
}

export interface Decontamination {
  benchmarks: BenchmarkSource[];
  /** Word n-gram length; 0 turns the n-gram rule off. */
  ngram: number;
  /** Cosine similarity to the nearest benchmark question above which a question is rejected; 1 is off. */
  similarity: number;
}
