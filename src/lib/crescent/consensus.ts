// Stage 3, consensus: sample answers to one accepted question, stop as soon as the outcome at
// the run's bar is settled (the same outcome as drawing all k), and store the pair.
import { exactAgreement } from './agreement';
import { barOf, type RunConfig } from './config';
import { answerPrompt } from './prompts';
import { extractAnswer } from './extractAnswer';
import { deriveSeed } from './random';
import { askOnce, type RequestResult, type StepDeps } from './request';
import { majorityVote, settledOutcome, type SampledAnswer, type VoteOptions } from './vote';
import type { RunState } from './runState';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from './types';

export async function answerQuestion(
  question: QuestionRecord,
  state: RunState,
  deps: StepDeps,
): Promise<QaPairRecord> {
  const { config } = state;
  const text = question.text ?? '';
  const options = voteOptions(config);
  const samples = state.samplesOf(question.seq);
  const answers = samples.map((s) => voteOf(s, config));
  const settled = () =>
    answers.length >= config.votes ||
    (config.adaptiveVoting && settledOutcome(answers, config.votes, options) !== null);

  while (!settled()) {
    const index = answers.length;
    const reply = await askOnce(deps, answerPrompt(text, config.domain.answerSuffix), {
      temperature: config.temperature,
      topP: config.topP,
      maxTokens: config.answerMaxTokens,
      seed: deriveSeed(config.seed, 'answer', question.seq, index),
      thinking: config.thinkAnswers,
    });
    const sample = sampleRecord(config, question.seq, index, reply, deps.clock.now());
    await deps.store.addSample(sample);
    state.addSample(sample);
    samples.push(sample);
    answers.push(voteOf(sample, config));
    deps.onRecord();
    deps.failures.note('answer', reply.failure);
  }

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
  const pair: QaPairRecord = {
    runId: config.runId,
    questionSeq: question.seq,
    question: text,
    answerText: vote.firstIndex >= 0 ? (samples[vote.firstIndex]?.raw ?? '') : '',
    ...counted,
    abstained: vote.abstained,
    agreement: exactAgreement(counted),
    model: deps.engine.model,
    createdAt: deps.clock.now(),
  };
  await deps.store.addPair(pair);
  state.addPair(pair);
  deps.onRecord();
  return pair;
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
