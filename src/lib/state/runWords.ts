// The words the interface uses for a run's states, stages and stop reasons.
import type { ContaminationHit } from '../crescent/contamination';
import type { RejectionReason } from '../crescent/types';
import type { RunRowStatus } from '../db/schema';
import type { LoadProgress } from '../engines/reports';
import type { RunProgress, StopReason } from '../worker/protocol';

export const STATUS_LABELS: Record<RunRowStatus, string> = {
  idle: 'waiting',
  loading: 'loading models',
  running: 'running',
  paused: 'paused',
  interrupted: 'interrupted',
  done: 'done',
  failed: 'failed',
  imported: 'imported',
};

export type Tone = 'ok' | 'warn' | 'bad' | 'accent' | '';

export const STATUS_TONES: Record<RunRowStatus, Tone> = {
  idle: '',
  loading: 'accent',
  running: 'accent',
  paused: 'warn',
  interrupted: 'warn',
  done: 'ok',
  failed: 'bad',
  imported: '',
};

export const STOP_REASONS: Record<StopReason, string> = {
  target: 'Target reached: every wanted question has its answer.',
  budget: 'Proposal budget used up before the target was reached.',
  saturated:
    'Stopped early: recent bait proposals were almost all rejected (the domain is saturated).',
  paused: 'Paused. Everything made so far is stored; resume to continue.',
  error: 'Stopped by an error.',
};

export const STAGE_LABELS: Record<RunProgress['stage'], string> = {
  propose: 'Writing questions',
  rewrite: 'Rewriting a too-similar question',
  answer: 'Answering and voting',
  idle: 'Idle',
};

export const LOAD_PHASES: Record<LoadProgress['phase'], string> = {
  preflight: 'Checking the GPU',
  fetching: 'Downloading the model',
  loading: 'Loading the model onto the GPU',
  embedder: 'Loading the embedder',
  benchmarks: 'Preparing the benchmarks',
  ready: 'Ready',
};

export const REJECTION_LABELS: Record<RejectionReason, string> = {
  'too-similar': 'too similar',
  'no-question': 'no question found',
  truncated: 'cut off by the token limit',
  interrupted: 'interrupted',
  'engine-error': 'engine error',
  contaminated: 'leaks a benchmark question',
};

/** Where a contaminated question leaks from, in a few words ("gsm8k-test #12, 8 shared words"). */
export function contaminationSource(hit: ContaminationHit): string {
  const how =
    hit.by === 'ngram'
      ? `shares “${hit.ngram ?? ''}”`
      : `similarity ${hit.similarity === undefined ? '?' : hit.similarity.toFixed(3)}`;
  return `${hit.benchmark} #${hit.index + 1}, ${how}`;
}
