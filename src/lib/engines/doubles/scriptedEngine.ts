// A deterministic chat engine for tests and demos. It recognises the three Crescent
// requests (bait, rewrite, answer) and replies like a small, imperfect model would:
// near-duplicate questions, chatty preambles, malformed replies, split and wrong votes.
// The reply depends only on the request and its seed, never on call order.
import { createRandom, deriveSeed } from '../../crescent/random';
import { CrescentError } from '../../crescent/errors';
import type {
  AbortSignalLike,
  ChatEngine,
  ChatMessage,
  ChatReply,
  RandomSource,
  SamplingOptions,
} from '../../crescent/types';
import { NAMES, PROBLEM_TEMPLATES } from './problemTemplates';

export type ScriptedRequestKind = 'bait' | 'rewrite' | 'answer';

export interface ScriptedEngineOptions {
  seed?: number;
  /** How many templates the "model" knows; fewer means the domain saturates sooner. */
  topics?: number;
  /** Share of bait replies with no question in them. */
  malformedRate?: number;
  /** Share of bait replies wrapped in a chatty preamble. */
  preambleRate?: number;
  /** Share of answers that are right; the rest are near misses or unreadable. */
  correctRate?: number;
  unreadableRate?: number;
  concurrency?: number;
  /** Milliseconds each reply takes; aborting cuts it short. */
  latencyMs?: number;
  /** Decode speed to report in usage, as web-llm does; absent when not set. */
  decodeTokensPerSecond?: number;
  /** Called at the start of every request; may throw to simulate an engine failure. */
  onCall?: (info: ScriptedCall) => void;
  /** Changes a reply before it is returned: cut it off, make it unreadable, interrupt it. */
  alter?: (reply: ChatReply, info: ScriptedCall) => ChatReply;
}

export interface ScriptedCall {
  kind: ScriptedRequestKind;
  /** 1-based arrival order. */
  call: number;
  prompt: string;
  seed: number | undefined;
}

const PREAMBLES = [
  "Sure! Here's a unique math word problem:\n\n",
  'Here is a problem for you:\n\n**Problem:** ',
  'Problem: ',
];

const MALFORMED = ['I am sorry, I cannot help with that.', '', '**Math Problem**'];

export class ScriptedChatEngine implements ChatEngine {
  readonly model = 'scripted-test-model';
  readonly concurrency: number;
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Every request, in arrival order. */
  readonly requests: ScriptedCall[] = [];
  readonly #opts: Required<
    Omit<ScriptedEngineOptions, 'onCall' | 'alter' | 'decodeTokensPerSecond'>
  > &
    Pick<ScriptedEngineOptions, 'onCall' | 'alter' | 'decodeTokensPerSecond'>;

  constructor(options: ScriptedEngineOptions = {}) {
    this.#opts = {
      seed: 0,
      topics: PROBLEM_TEMPLATES.length,
      malformedRate: 0.05,
      preambleRate: 0.25,
      correctRate: 0.7,
      unreadableRate: 0.05,
      concurrency: 1,
      latencyMs: 0,
      ...options,
    };
    this.concurrency = this.#opts.concurrency;
  }

  async complete(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply> {
    const prompt = messages.at(-1)?.content ?? '';
    const kind = requestKind(prompt);
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.inFlight > this.concurrency) {
        throw new Error(
          `scripted engine: ${this.inFlight} requests at once, limit ${this.concurrency}`,
        );
      }
      const info: ScriptedCall = { kind, call: this.calls, prompt, seed: options.seed };
      this.requests.push(info);
      this.#opts.onCall?.(info);
      await wait(this.#opts.latencyMs, signal);
      const rng = createRandom(deriveSeed(this.#opts.seed, options.seed ?? 0, prompt));
      const text =
        kind === 'answer'
          ? this.#answer(prompt, rng)
          : kind === 'rewrite'
            ? this.#question(rng, 0, 0)
            : this.#question(rng, this.#opts.malformedRate, this.#opts.preambleRate);
      const reply: ChatReply = {
        text,
        usage: {
          promptTokens: countTokens(prompt),
          completionTokens: countTokens(text),
          ...(this.#opts.decodeTokensPerSecond !== undefined
            ? { decodeTokensPerSecond: this.#opts.decodeTokensPerSecond }
            : {}),
        },
        finishReason: 'stop',
      };
      return this.#opts.alter ? this.#opts.alter(reply, info) : reply;
    } finally {
      this.inFlight--;
    }
  }

  #question(rng: RandomSource, malformedRate: number, preambleRate: number): string {
    if (rng.next() < malformedRate) return pick(MALFORMED, rng);
    const topics = Math.max(1, Math.min(this.#opts.topics, PROBLEM_TEMPLATES.length));
    const template = PROBLEM_TEMPLATES[Math.floor(rng.next() * topics)] ?? PROBLEM_TEMPLATES[0];
    const a = 2 + Math.floor(rng.next() * 40);
    const b = 2 + Math.floor(rng.next() * 40);
    const problem = template ? template.render(a, b, pick(NAMES, rng)) : '';
    return rng.next() < preambleRate ? pick(PREAMBLES, rng) + problem : problem;
  }

  #answer(prompt: string, rng: RandomSource): string {
    const right = 10 + (deriveSeed(0, questionOf(prompt)) % 90);
    const roll = rng.next();
    if (roll < this.#opts.unreadableRate) return 'Let me think about this problem step by step.';
    const value =
      roll < this.#opts.unreadableRate + this.#opts.correctRate
        ? right
        : right + 1 + Math.floor(rng.next() * 3);
    const style = Math.floor(rng.next() * 3);
    const work = `Step 1: read the numbers in the problem.\nStep 2: combine them carefully.`;
    if (style === 0) return `${work}\n\n#### Answer: ${value}`;
    if (style === 1) return `${work}\nSo the result is ${value}.\nThe answer is ${value}.`;
    return `${work}\nTherefore the total is $\\boxed{${value}}$.`;
  }
}

function requestKind(prompt: string): ScriptedRequestKind {
  if (prompt.includes('is very similar to this question')) return 'rewrite';
  if (prompt.includes('#### Answer:')) return 'answer';
  return 'bait';
}

/** The question part of an answer request: everything before the answer suffix. */
function questionOf(prompt: string): string {
  const cut = prompt.indexOf(' Please think step by step');
  return cut >= 0 ? prompt.slice(0, cut) : prompt;
}

function pick<T>(items: readonly T[], rng: RandomSource): T {
  const item = items[Math.floor(rng.next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function wait(ms: number, signal?: AbortSignalLike): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(): CrescentError {
  return new CrescentError({ code: 'aborted', message: 'Stopped.' });
}
