// Stages 1 and 2 for one proposal: ask for a question (bait or rewrite), extract it,
// embed it, judge it against the accepted set, and store the verdict with its reasons.
import { findContamination, type LoadedBenchmark } from './contamination';
import { judge, nextProposal } from './diversify';
import { extractQuestion } from './extractQuestion';
import { rewritePrompt } from './prompts';
import { deriveSeed } from './random';
import { askOnce, type RequestResult, type StepDeps } from './request';
import type { RunState } from './runState';
import type { Embedder, QuestionRecord, RejectionReason } from './types';

export type ProposalDeps = StepDeps & {
  embedder: Embedder;
  /** Benchmarks a question must not leak from; none means no check. */
  benchmarks?: readonly LoadedBenchmark[];
};

export async function proposeQuestion(
  state: RunState,
  deps: ProposalDeps,
): Promise<QuestionRecord> {
  const { config } = state;
  const next = nextProposal(state.last, (seq) => state.question(seq), config);
  const seq = state.questions.length;
  const prompt =
    next.kind === 'bait'
      ? config.domain.baitPrompt
      : rewritePrompt(config.domain.rewriteTemplate, next.rejected, next.nearest);

  const reply = await askOnce(deps, prompt, {
    temperature: config.temperature,
    topP: config.topP,
    maxTokens: config.questionMaxTokens,
    seed: deriveSeed(config.seed, 'question', seq),
    thinking: false,
  });
  const base = {
    runId: config.runId,
    seq,
    origin: next.kind,
    ...(next.kind === 'rewrite' ? { parentSeq: next.parentSeq } : {}),
    attempt: next.attempt,
    raw: reply.text,
    tokens: reply.usage.completionTokens,
    ...(reply.failure ? { error: reply.failure } : {}),
    createdAt: deps.clock.now(),
  };

  let record: QuestionRecord;
  const unusable = unusableReply(reply);
  const text =
    unusable === null
      ? extractQuestion(reply.text, { mode: config.faithful ? 'paper' : 'clean' })
      : null;
  if (text === null) {
    record = { ...base, text: null, status: 'rejected', reason: unusable ?? 'no-question' };
  } else {
    const [embedding] = await deps.embedder.embed([text], deps.signal);
    if (!embedding) throw new Error('the embedder returned no vector');
    const nearest = state.nearest(embedding);
    // The paper accepts a rewrite without checking it again.
    const verdict = judge(
      nearest,
      config.similarityThreshold,
      config.faithful && next.kind === 'rewrite',
    );
    // Decontamination holds in faithful mode too: the paper has none to be faithful to.
    const leak =
      deps.benchmarks && deps.benchmarks.length > 0
        ? findContamination(text, embedding, deps.benchmarks, config.decontamination)
        : null;
    record = {
      ...base,
      text,
      ...(leak
        ? { status: 'rejected', reason: 'contaminated', contamination: leak }
        : {
            status: verdict.status,
            ...(verdict.status === 'rejected' ? { reason: verdict.reason } : {}),
          }),
      ...(verdict.nearest
        ? {
            nearestSeq: verdict.nearest.seq,
            nearestText: verdict.nearest.text,
            similarity: verdict.nearest.similarity,
          }
        : {}),
      embedding,
    };
  }
  await deps.store.addQuestion(record);
  state.addQuestion(record);
  deps.onRecord();
  deps.failures.note('question', reply.failure);
  return record;
}

/** Why a reply cannot hold a question at all: part of a reply is not a question. */
function unusableReply(reply: RequestResult): RejectionReason | null {
  switch (reply.finishReason) {
    case 'error':
      return 'engine-error';
    case 'length':
      return 'truncated';
    case 'abort':
      return 'interrupted';
    case 'stop':
      return null;
  }
}
