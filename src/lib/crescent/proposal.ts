// Stages 1 and 2 for one proposal, in the three steps the scheduler runs apart: ask for a
// question (bait or rewrite), read the reply (extract, embed, check against benchmarks) in any
// order, then judge it in sequence order against the accepted set and make its record.
import type { RunConfig } from './config';
import type { ContaminationHit } from './contamination';
import { judge, type NearestAccepted, type ProposalSlot } from './diversify';
import { extractQuestion } from './extractQuestion';
import { rewritePrompt } from './prompts';
import { deriveSeed } from './random';
import { askOnce, type RequestResult, type StepDeps } from './request';
import type { QuestionRecord, RejectionReason } from './types';

/**
 * A slot's seed depends on the slot alone, never on when its request was sent: the n-th bait
 * request and the rewrite of a given record get the same reply at any concurrency.
 */
export function slotSeed(seed: number, slot: ProposalSlot): number {
  return slot.kind === 'bait'
    ? deriveSeed(seed, 'bait', slot.bait)
    : deriveSeed(seed, 'rewrite', slot.parentSeq, slot.attempt);
}

export function askProposal(
  deps: StepDeps,
  config: RunConfig,
  slot: ProposalSlot,
): Promise<RequestResult> {
  const prompt =
    slot.kind === 'bait'
      ? config.domain.baitPrompt
      : rewritePrompt(config.domain.rewriteTemplate, slot.rejected, slot.nearest);
  return askOnce(deps, prompt, {
    temperature: config.temperature,
    topP: config.topP,
    maxTokens: config.questionMaxTokens,
    seed: slotSeed(config.seed, slot),
    thinking: false,
  });
}

/** What a reply holds, read before its turn to be judged. */
export interface ReadProposal {
  slot: ProposalSlot;
  reply: RequestResult;
  /** The extracted question, null when there is none (then `unusable` says why). */
  text: string | null;
  unusable: RejectionReason | null;
  embedding?: Float32Array;
  /** The benchmark question the text leaks, found once it is embedded. */
  leak?: ContaminationHit | null;
  /** When the reply arrived. */
  at: number;
}

export function readReply(
  config: RunConfig,
  slot: ProposalSlot,
  reply: RequestResult,
  at: number,
): ReadProposal {
  const unusable = unusableReply(reply);
  const text =
    unusable === null
      ? extractQuestion(reply.text, { mode: config.faithful ? 'paper' : 'clean' })
      : null;
  return { slot, reply, text, unusable: text === null ? (unusable ?? 'no-question') : null, at };
}

/**
 * The record of a read proposal judged at position `seq`, where `nearest` is the nearest
 * question accepted before that position.
 */
export function proposalRecord(
  config: RunConfig,
  read: ReadProposal,
  seq: number,
  nearest: NearestAccepted | null,
): QuestionRecord {
  const { slot, reply } = read;
  const base = {
    runId: config.runId,
    seq,
    origin: slot.kind,
    ...(slot.kind === 'rewrite' ? { parentSeq: slot.parentSeq } : {}),
    attempt: slot.kind === 'rewrite' ? slot.attempt : 0,
    raw: reply.text,
    tokens: reply.usage.completionTokens,
    ...(reply.failure ? { error: reply.failure } : {}),
    createdAt: read.at,
  };
  if (read.text === null || !read.embedding) {
    return { ...base, text: null, status: 'rejected', reason: read.unusable ?? 'no-question' };
  }
  // The paper accepts a rewrite without checking it again.
  const verdict = judge(
    nearest,
    config.similarityThreshold,
    config.faithful && slot.kind === 'rewrite',
  );
  // Decontamination holds in faithful mode too: the paper has none to be faithful to.
  const leak = read.leak ?? null;
  return {
    ...base,
    text: read.text,
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
    embedding: read.embedding,
  };
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
