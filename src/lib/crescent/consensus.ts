// Stage 3, consensus: sample answers to one accepted question, stop as soon as the vote is
// settled (same winner as drawing all k), and store the pair.
import { answerPrompt } from './prompts';
import { extractAnswer } from './extractAnswer';
import { deriveSeed } from './random';
import { askOnce, type StepDeps } from './request';
import { isVoteSettled, majorityVote } from './vote';
import type { RunConfig } from './config';
import type { RunState } from './runState';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from './types';

export async function answerQuestion(
  question: QuestionRecord,
  state: RunState,
  deps: StepDeps,
): Promise<QaPairRecord> {
  const { config } = state;
  const text = question.text ?? '';
  const countNull = config.faithful;
  const samples = state.samplesOf(question.seq);
  const answers = samples.map((s) => s.answer);
  const settled = () =>
    answers.length >= config.votes ||
    (config.adaptiveVoting && isVoteSettled(answers, config.votes, { countNull }));

  while (!settled()) {
    const index = answers.length;
    const reply = await askOnce(deps, answerPrompt(text, config.domain.answerSuffix), {
      temperature: config.temperature,
      topP: config.topP,
      maxTokens: config.answerMaxTokens,
      seed: deriveSeed(config.seed, 'answer', question.seq, index),
      thinking: config.thinkAnswers,
    });
    const sample: AnswerSampleRecord = {
      runId: config.runId,
      questionSeq: question.seq,
      index,
      raw: reply.text,
      ...(reply.thinking !== undefined ? { thinking: reply.thinking } : {}),
      answer: reply.finishReason === 'error' ? null : extractAnswer(reply.text, answerMode(config)),
      tokens: reply.usage.completionTokens,
      thinkingTokens: reply.usage.thinkingTokens ?? 0,
      finishReason: reply.finishReason,
      createdAt: deps.clock.now(),
    };
    await deps.store.addSample(sample);
    state.addSample(sample);
    samples.push(sample);
    answers.push(sample.answer);
    deps.onRecord();
  }

  const vote = majorityVote(answers, { countNull });
  const pair: QaPairRecord = {
    runId: config.runId,
    questionSeq: question.seq,
    question: text,
    answerText: vote.firstIndex >= 0 ? (samples[vote.firstIndex]?.raw ?? '') : '',
    answer: vote.winner,
    votes: vote.counts,
    abstained: vote.abstained,
    samples: answers.length,
    k: config.votes,
    // Over k, not over samples drawn: a vote settled early reports a lower bound.
    agreement: config.votes > 0 ? vote.votes / config.votes : 0,
    model: deps.engine.model,
    createdAt: deps.clock.now(),
  };
  await deps.store.addPair(pair);
  state.addPair(pair);
  deps.onRecord();
  return pair;
}

function answerMode(config: RunConfig): { mode: 'robust' | 'paper' } {
  return { mode: config.faithful ? 'paper' : 'robust' };
}
