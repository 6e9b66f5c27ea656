// Stage 3, consensus: sample answers to one accepted question, stop as soon as the outcome at
// the run's bar is settled (the same outcome as drawing all k), and make the pair.
import { exactAgreement } from './agreement';
import { barOf, type RunConfig } from './config';
import { answerPrompt } from './prompts';
import { extractAnswer } from './extractAnswer';
import { deriveSeed } from './random';
import { askOnce, type RequestResult, type StepDeps } from './request';
import {
  majorityVote,
  samplesBeforeSettled,
  settledOutcome,
  type SampledAnswer,
  type VoteOptions,
} from './vote';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from './types';

/**
 * The vote on one accepted question while its samples are drawn. Samples are asked for in draws:
 * each draw is the fewest further samples before which the outcome could not be settled
 * (samplesBeforeSettled), all of them needed whatever they turn out to be, so several can be in
 * flight at once and the samples drawn are exactly those drawing one at a time would draw.
 */
export class Ballot {
  readonly #samples: (AnswerSampleRecord | undefined)[];
  readonly #asked = new Set<number>();
  #draw: number[] = [];
  /** Set once the pair is being written. */
  closing = false;

  constructor(
    readonly question: QuestionRecord,
    readonly config: RunConfig,
    stored: readonly (AnswerSampleRecord | undefined)[],
  ) {
    this.#samples = [...stored];
  }

  /** Sample positions to ask for now: none while a draw is still out, or once settled. */
  toAsk(): number[] {
    if (this.#draw.every((i) => this.#samples[i] !== undefined)) this.#draw = this.#nextDraw();
    return this.#draw.filter((i) => this.#samples[i] === undefined && !this.#asked.has(i));
  }

  asked(index: number): void {
    this.#asked.add(index);
  }

  /** A request was stopped before its sample was stored: it may be asked again. */
  forget(index: number): void {
    this.#asked.delete(index);
  }

  record(sample: AnswerSampleRecord): void {
    this.#samples[sample.index] = sample;
  }

  /** Whether recording this sample would settle the vote. */
  settlesWith(sample: AnswerSampleRecord): boolean {
    const held = this.#samples[sample.index];
    this.#samples[sample.index] = sample;
    const settled = this.settled;
    this.#samples[sample.index] = held;
    return settled;
  }

  /** Whether the samples in hand fix the outcome at the bar, as drawing all k would. */
  get settled(): boolean {
    const answers = this.#answers();
    return answers.length >= this.config.votes || settles(answers, this.config);
  }

  /** The pair the settled vote makes. */
  pair(model: string, now: number): QaPairRecord {
    const { config, question } = this;
    const samples = this.#prefix();
    const answers = samples.map((s) => voteOf(s, config));
    const options = voteOptions(config);
    const vote = majorityVote(answers, options);
    // Settled or complete, so the outcome is known.
    const outcome = settledOutcome(answers, config.votes, options) ?? { pass: false };
    const counted = {
      votes: vote.counts,
      answer: vote.winner,
      samples: answers.length,
      k: config.votes,
      minVotes: options.minVotes ?? 0,
      passes: outcome.pass,
    };
    return {
      runId: config.runId,
      questionSeq: question.seq,
      question: question.text ?? '',
      answerText: vote.firstIndex >= 0 ? (samples[vote.firstIndex]?.raw ?? '') : '',
      ...counted,
      abstained: vote.abstained,
      agreement: exactAgreement(counted),
      model,
      createdAt: now,
    };
  }

  /** The samples stored from the first one on, up to the first not yet stored. */
  #prefix(): AnswerSampleRecord[] {
    const prefix: AnswerSampleRecord[] = [];
    for (const s of this.#samples) {
      if (s === undefined || prefix.length >= this.config.votes) break;
      prefix.push(s);
    }
    return prefix;
  }

  #answers(): SampledAnswer[] {
    return this.#prefix().map((s) => voteOf(s, this.config));
  }

  #nextDraw(): number[] {
    if (this.settled) return [];
    const answers = this.#answers();
    const { votes } = this.config;
    const count = this.config.adaptiveVoting
      ? Math.max(1, samplesBeforeSettled(answers, votes, voteOptions(this.config)))
      : votes - answers.length;
    return Array.from({ length: count }, (_, i) => answers.length + i);
  }
}

function settles(answers: readonly SampledAnswer[], config: RunConfig): boolean {
  return (
    config.adaptiveVoting && settledOutcome(answers, config.votes, voteOptions(config)) !== null
  );
}

/** Asks for one answer sample; the reply's record, or the request's failure as a record. */
export async function askSample(
  deps: StepDeps,
  config: RunConfig,
  question: QuestionRecord,
  index: number,
): Promise<AnswerSampleRecord> {
  const reply = await askOnce(deps, answerPrompt(question.text ?? '', config.domain.answerSuffix), {
    temperature: config.temperature,
    topP: config.topP,
    maxTokens: config.answerMaxTokens,
    seed: deriveSeed(config.seed, 'answer', question.seq, index),
    thinking: config.thinkAnswers,
  });
  return sampleRecord(config, question.seq, index, reply, deps.clock.now());
}

function voteOptions(config: RunConfig): VoteOptions {
  return { countNull: config.faithful, minVotes: barOf(config) };
}

/**
 * A sample's part in the vote. No reply (a failed or interrupted request) never votes; a reply cut
 * by the token limit abstains too, except in faithful mode, where the paper reads it like any other.
 */
function voteOf(sample: AnswerSampleRecord, config: Pick<RunConfig, 'faithful'>): SampledAnswer {
  if (sample.finishReason === 'error' || sample.finishReason === 'abort') return undefined;
  if (sample.finishReason === 'length' && !config.faithful) return undefined;
  return sample.answer;
}

function sampleRecord(
  config: RunConfig,
  questionSeq: number,
  index: number,
  reply: RequestResult,
  now: number,
): AnswerSampleRecord {
  const readable =
    reply.finishReason === 'stop' || (reply.finishReason === 'length' && config.faithful);
  return {
    runId: config.runId,
    questionSeq,
    index,
    raw: reply.text,
    ...(reply.thinking !== undefined ? { thinking: reply.thinking } : {}),
    answer: readable
      ? extractAnswer(reply.text, { mode: config.faithful ? 'paper' : 'robust' })
      : null,
    tokens: reply.usage.completionTokens,
    thinkingTokens: reply.usage.thinkingTokens ?? 0,
    finishReason: reply.finishReason,
    ...(reply.failure ? { error: reply.failure } : {}),
    createdAt: now,
  };
}
