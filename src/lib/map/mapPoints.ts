// What the map of questions draws: every stored proposal with an embedding, its status and, for an
// accepted one, how its vote went, and its embedding packed into one array for the projection worker.
import { voteSummary } from '../crescent/agreement';
import type { QaPairRecord, QuestionRecord } from '../crescent/types';

export type StatusGroup = 'accepted' | 'too-similar' | 'contaminated' | 'rejected';
export type AgreementGroup = 'unanimous' | 'passes' | 'below-bar' | 'no-pair' | 'not-accepted';
export type ColourMode = 'status' | 'agreement';

export interface MapPoint {
  runId: string;
  seq: number;
  text: string;
  status: StatusGroup;
  agreement: AgreementGroup;
  /** Nearest-neighbour similarity at decision time, when it was measured. */
  similarity?: number;
  /** The pair's answer, for an accepted question that has one. */
  answer?: string | null;
}

export interface MapInput {
  points: MapPoint[];
  /** Each point's embedding, `dim` numbers long: packed by packRows only when a fit is asked for. */
  embeddings: Float32Array[];
  dim: number;
  /** Proposals with no embedding stored (unreadable replies, failed requests, imported rows). */
  notEmbedded: number;
  /** Embedded by a model of another size than the rest: they cannot share one map. */
  otherDim: number;
}

export const STATUS_GROUPS: readonly StatusGroup[] = [
  'accepted',
  'too-similar',
  'contaminated',
  'rejected',
];
export const AGREEMENT_GROUPS: readonly AgreementGroup[] = [
  'unanimous',
  'passes',
  'below-bar',
  'no-pair',
  'not-accepted',
];

export const GROUP_LABELS: Record<StatusGroup | AgreementGroup, string> = {
  accepted: 'accepted',
  'too-similar': 'rejected: too similar',
  contaminated: 'rejected: contaminated',
  rejected: 'rejected: other reason',
  unanimous: 'kept, every sample agrees',
  passes: 'kept, split or stopped early',
  'below-bar': 'below the bar',
  'no-pair': 'not yet voted',
  'not-accepted': 'not accepted',
};

function statusGroup(q: QuestionRecord): StatusGroup {
  if (q.status === 'accepted') return 'accepted';
  if (q.reason === 'too-similar') return 'too-similar';
  if (q.reason === 'contaminated') return 'contaminated';
  return 'rejected';
}

function agreementGroup(q: QuestionRecord, pair: QaPairRecord | undefined): AgreementGroup {
  if (q.status !== 'accepted') return 'not-accepted';
  const s = pair ? voteSummary(pair) : null;
  if (!s) return 'no-pair';
  if (!s.passes) return 'below-bar';
  // Unanimous only when it is known: every one of the k samples agrees.
  return s.low === s.k ? 'unanimous' : 'passes';
}

/** The map's points in run then proposal order, with their embeddings packed row by row. */
export function mapInput(
  questions: readonly QuestionRecord[],
  pairs: readonly QaPairRecord[],
): MapInput {
  const pairOf = new Map<string, QaPairRecord>();
  for (const p of pairs) pairOf.set(`${p.runId}\u0000${p.questionSeq}`, p);
  const embedded = questions.filter((q) => q.embedding && q.embedding.length > 0 && q.text);
  // The size most embeddings share decides; a run embedded by another model is left off.
  const sizes = new Map<number, number>();
  for (const q of embedded)
    sizes.set(q.embedding!.length, (sizes.get(q.embedding!.length) ?? 0) + 1);
  let dim = 0;
  let most = 0;
  for (const [size, count] of sizes) {
    if (count > most || (count === most && size > dim)) {
      dim = size;
      most = count;
    }
  }
  const kept = embedded
    .filter((q) => q.embedding!.length === dim)
    .sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : a.seq - b.seq));
  const points = kept.map((q) => {
    const pair = pairOf.get(`${q.runId}\u0000${q.seq}`);
    const point: MapPoint = {
      runId: q.runId,
      seq: q.seq,
      text: q.text!,
      status: statusGroup(q),
      agreement: agreementGroup(q, pair),
    };
    if (q.similarity !== undefined) point.similarity = q.similarity;
    if (pair) point.answer = pair.answer;
    return point;
  });
  return {
    points,
    embeddings: kept.map((q) => q.embedding!),
    dim,
    notEmbedded: questions.length - embedded.length,
    otherDim: embedded.length - kept.length,
  };
}

/** The embeddings as one row-major array, a fresh one each time (it is handed to the worker). */
export function packRows(input: MapInput): Float32Array {
  const data = new Float32Array(input.embeddings.length * input.dim);
  input.embeddings.forEach((row, i) => data.set(row, i * input.dim));
  return data;
}

/** How many points of the map fall in one colour group. */
export interface GroupCount {
  group: StatusGroup | AgreementGroup;
  count: number;
}

/** How many points fall in each group of the colour mode, in the legend's order. */
export function groupCounts(points: readonly MapPoint[], mode: ColourMode): GroupCount[] {
  const groups = mode === 'status' ? STATUS_GROUPS : AGREEMENT_GROUPS;
  const counts = new Map<string, number>();
  for (const p of points) {
    const g = mode === 'status' ? p.status : p.agreement;
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return groups.map((group) => ({ group, count: counts.get(group) ?? 0 }));
}

/** A cheap key that changes whenever the set of drawable points does. */
export function mapKey(questions: readonly QuestionRecord[]): string {
  let embedded = 0;
  let last = '';
  for (const q of questions) {
    if (q.embedding && q.text) {
      embedded++;
      last = `${q.runId}:${q.seq}`;
    }
  }
  return `${questions.length}|${embedded}|${last}`;
}
