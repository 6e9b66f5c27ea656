// The Crescent method as plain TypeScript: what the rest of the app may use.
export * from './types';
export * from './errors';
export * from './config';
export * from './progress';
export * from './prompts';
export { createRandom, deriveSeed } from './random';
export { extractQuestion } from './extractQuestion';
export { extractAnswer } from './extractAnswer';
export { splitThinking } from './thinking';
export {
  majorityVote,
  isVoteSettled,
  settledOutcome,
  outcomeOf,
  samplesBeforeSettled,
  minVotesFor,
  samplesSaved,
  UNREADABLE_ANSWER_KEY,
} from './vote';
export type { VoteResult, VoteOptions, VoteOutcome, SampledAnswer } from './vote';
export { voteSummary, agreementRange, exactAgreement, meetsAgreement } from './agreement';
export type { VoteSummary, VotedPair, AgreementVerdict } from './agreement';
export { VectorIndex } from './vectorIndex';
export {
  judge,
  nextProposal,
  recentAcceptance,
  isSaturated,
  SaturationWindow,
  countsTowardsSaturation,
} from './diversify';
export { runCrescent } from './run';
export type { RunDeps, RunOptions, RunOutcome } from './run';
export { MemoryRunStore } from './memoryStore';
export {
  BenchmarkNgrams,
  DEFAULT_CONTAMINATION_RULE,
  contaminationWords,
  findContamination,
  wordNgrams,
} from './contamination';
export type {
  ContaminationHit,
  ContaminationRule,
  LoadedBenchmark,
  NgramMatch,
} from './contamination';
