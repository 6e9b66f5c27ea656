// The recipe: one JSON object that describes a run completely (stored, exported, shared as a link).

export type EngineSpec =
  | { kind: 'webllm'; model: string; modelUrl?: string; modelLibUrl?: string }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string; concurrency?: number };

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
}
