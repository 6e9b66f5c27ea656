// What a run reports while it works, and why it stopped.

export type StopReason = 'target' | 'budget' | 'saturated' | 'paused' | 'error';

export interface RunProgress {
  stage: 'propose' | 'rewrite' | 'answer' | 'idle';
  proposals: number;
  accepted: number;
  rejected: number;
  /** Replies with no extractable question (a subset of rejected). */
  malformed: number;
  pairs: number;
  samples: number;
  /** Samples skipped by adaptive voting so far. */
  samplesSaved: number;
  tokens: number;
  tokensPerSecond: number;
  /** Seconds to the target, null until there is a rate to go by. */
  etaSeconds: number | null;
  /** Acceptance over the recent window of bait proposals. */
  recentAcceptance: number | null;
}
