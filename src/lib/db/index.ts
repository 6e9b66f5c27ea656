// The storage layer's public surface.
export { CrescentDb, DATABASE_NAME, EMPTY_STATS } from './schema';
export type { IndexedDbBackend, RunRow, RunRowStatus, RunStats } from './schema';
export { DexieRunStore } from './store';
export {
  applyRunPatch,
  createRun,
  isResumable,
  newRunRow,
  deleteRun,
  getRun,
  listRuns,
  markInterruptedRuns,
  runCounts,
  updateRun,
} from './runs';
export type { RunCounts, RunPatch } from './runs';
export { countPairs, pairMatches, pairsOfRuns, rejectedQuestions, PAIR_BATCH_SIZE } from './read';
export type { PairFilter } from './read';
export { existingQuestionKeys, importDataset } from './import';
export type { DatasetImport, ImportedRun, ImportedPair } from './import';
export {
  isQuotaError,
  quotaExceeded,
  requestPersistence,
  storageEstimate,
  toStorageError,
  withStorageErrors,
} from './quota';
export type { StorageEstimate } from './quota';
