// Export to JSONL, the dataset card, and import back: what the rest of the app uses.
export { datasetCard, redactSecrets, type DatasetCardInput } from './card';
export { questionContext, type ContextLookup } from './context';
export { normaliseQuestion, type Duplicate } from './duplicates';
export {
  exportBlobParts,
  exportFileName,
  exportLines,
  exportStream,
  linesToStream,
  rejectedLines,
  type ExportOptions,
} from './export';
export { describeFilter, keepPair, undecidedAgreement, type PairFilter } from './filter';
export {
  EXPORT_FORMATS,
  dpoLine,
  formatPair,
  hasPreference,
  type DpoLine,
  type ExportFormat,
  type FullPairLine,
  type PairContext,
} from './formats';
export { sizeCategory } from './frontMatter';
export {
  assertImportable,
  parseDataset,
  parseDatasetStream,
  uniqueRows,
  type ImportOptions,
  type ImportResult,
  type LineError,
} from './import';
export type { ImportedPair, ImportFormat } from './shapes';
export { ExportTally, summariseQuestions, type PairStats, type QuestionStats } from './stats';
