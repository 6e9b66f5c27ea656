// What a run reports while it works, and why it stopped.
import type { RejectionReason } from './types';

export type StopReason = 'target' | 'budget' | 'saturated' | 'paused' | 'error';

export interface RunProgress {
  stage: 'propose' | 'rewrite' | 'answer' | 'idle';
  proposals: number;
  accepted: number;
  rejected: number;
  /** Replies with no extractable question (a subset of rejected). */
  malformed: number;
  /** Rejected proposals by reason. */
  rejectedBy: Partial<Record<RejectionReason, number>>;
  pairs: number;
  /** Pairs whose k-sample vote passes the run's bar (all pairs when there is no bar). */
  passing: number;
  samples: number;
  /** Samples skipped by adaptive voting so far. */
  samplesSaved: number;
  tokens: number;
  /** Generated tokens over wall-clock time in this session, all requests included. */
  tokensPerSecond: number;
  /** The engine's own decode speed (a moving average), null when it does not report one. */
  decodeTokensPerSecond: number | null;
  /** Seconds to the target, null until there is a rate to go by. */
  etaSeconds: number | null;
  /** Acceptance over the saturation window: the last bait proposals, engine failures left out. */
  recentAcceptance: number | null;
}
