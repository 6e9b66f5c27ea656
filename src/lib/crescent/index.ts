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
export { majorityVote, isVoteSettled, samplesSaved, UNREADABLE_ANSWER_KEY } from './vote';
export type { VoteResult, VoteOptions } from './vote';
export { VectorIndex } from './vectorIndex';
export { judge, nextProposal, recentAcceptance, isSaturated } from './diversify';
export { runCrescent } from './run';
export type { RunDeps, RunOptions, RunOutcome } from './run';
export { MemoryRunStore } from './memoryStore';
