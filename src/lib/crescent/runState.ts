// What a run has produced so far, rebuilt from the store's snapshot and kept in step with
// every write, so the scheduler can decide the next step from stored facts alone. Every figure
// is kept incrementally: a step costs the same at the ten-thousandth proposal as at the first.
import type { RunConfig } from './config';
import type { StopReason } from './progress';
import {
  SaturationWindow,
  nextProposal,
  type NearestAccepted,
  type ProposalSlot,
  type RewriteRequest,
} from './diversify';
import type {
  AnswerSampleRecord,
  QaPairRecord,
  QuestionRecord,
  RejectionReason,
  RunSnapshot,
} from './types';
import { VectorIndex, type Neighbour } from './vectorIndex';

type OwedRewrite = RewriteRequest & { due: number };

export class RunState {
  readonly questions: QuestionRecord[] = [];
  readonly #index: VectorIndex;
  /** Index position -> the accepted question stored there. */
  readonly #acceptedRows: QuestionRecord[] = [];
  readonly #samples = new Map<number, AnswerSampleRecord[]>();
  readonly #pairs = new Map<number, QaPairRecord>();
  /** Accepted questions without a pair yet, in proposal order (a Map keeps insertion order). */
  readonly #pending = new Map<number, QuestionRecord>();
  readonly #rejectedBy = new Map<RejectionReason, number>();
  readonly #window: SaturationWindow;
  /** Rewrites that stored records still call for, by the position they are judged at. */
  readonly #owed: OwedRewrite[] = [];
  #baits = 0;
  #rejected = 0;
  #passing = 0;
  tokens = 0;
  samplesDrawn = 0;
  samplesSaved = 0;

  constructor(
    readonly config: RunConfig,
    dim: number,
    snapshot: RunSnapshot,
  ) {
    this.#index = new VectorIndex(dim);
    this.#window = new SaturationWindow(config.saturationWindow);
    for (const q of snapshot.questions) this.addQuestion(q);
    for (const s of snapshot.samples) this.addSample(s);
    for (const p of snapshot.pairs) this.addPair(p);
  }

  addQuestion(q: QuestionRecord): void {
    if (q.seq !== this.questions.length) {
      throw new Error(`question ${q.seq} is out of order; expected ${this.questions.length}`);
    }
    this.questions.push(q);
    this.tokens += q.tokens;
    if (q.origin === 'bait') this.#baits++;
    else this.#settleOwed(q);
    this.#oweFollowUp(q);
    this.#window.add(q);
    if (q.status === 'accepted' && q.text !== null) {
      if (!q.embedding) throw new Error(`accepted question ${q.seq} has no embedding`);
      this.#index.add(q.embedding);
      this.#acceptedRows.push(q);
      this.#pending.set(q.seq, q);
    } else if (q.status === 'rejected') {
      this.#rejected++;
      if (q.reason) this.#rejectedBy.set(q.reason, (this.#rejectedBy.get(q.reason) ?? 0) + 1);
    }
  }

  /**
   * The slots of the next proposals in the order they will be judged, as far as stored records
   * fix it: a record judged now can only owe a rewrite `rewriteDelay` positions later, so that
   * many positions ahead are known (the owed rewrites due there, bait requests in between).
   */
  upcoming(limit: number): ProposalSlot[] {
    const slots: ProposalSlot[] = [];
    const horizon = Math.min(limit, this.#delay);
    let bait = this.#baits;
    let owed = 0;
    for (let position = this.questions.length; slots.length < horizon; position++) {
      const rewrite = this.#owed[owed];
      // A rewrite past due (a run stored before rewrites were delayed) is judged first.
      if (rewrite && rewrite.due <= position) {
        slots.push(rewrite);
        owed++;
      } else slots.push({ kind: 'bait', bait: bait++ });
    }
    return slots;
  }

  /** Bait proposals stored so far: the next bait request is this one. */
  get baitCount(): number {
    return this.#baits;
  }

  get #delay(): number {
    return Math.max(1, Math.floor(this.config.rewriteDelay));
  }

  #oweFollowUp(q: QuestionRecord): void {
    const next = nextProposal(q, (seq) => this.questions[seq], this.config);
    if (next.kind !== 'rewrite') return;
    const owed: OwedRewrite = { ...next, due: q.seq + this.#delay };
    let at = this.#owed.length;
    while (at > 0 && (this.#owed[at - 1]?.due ?? 0) > owed.due) at--;
    this.#owed.splice(at, 0, owed);
  }

  #settleOwed(q: QuestionRecord): void {
    const at = this.#owed.findIndex((o) => o.parentSeq === q.parentSeq && o.attempt === q.attempt);
    if (at >= 0) this.#owed.splice(at, 1);
  }

  addSample(s: AnswerSampleRecord): void {
    const list = this.#samples.get(s.questionSeq) ?? [];
    if (list[s.index] !== undefined) {
      throw new Error(`sample ${s.index} of question ${s.questionSeq} is drawn twice`);
    }
    list[s.index] = s;
    this.samplesDrawn++;
    this.#samples.set(s.questionSeq, list);
    this.tokens += s.tokens;
  }

  addPair(p: QaPairRecord): void {
    if (this.#pairs.has(p.questionSeq)) throw new Error(`question ${p.questionSeq} is voted twice`);
    this.#pairs.set(p.questionSeq, p);
    this.#pending.delete(p.questionSeq);
    this.samplesSaved += Math.max(0, p.k - p.samples);
    if (p.passes) this.#passing++;
  }

  question(seq: number): QuestionRecord | undefined {
    return this.questions[seq];
  }

  get last(): QuestionRecord | undefined {
    return this.questions.at(-1);
  }

  get acceptedCount(): number {
    return this.#acceptedRows.length;
  }

  get pairCount(): number {
    return this.#pairs.size;
  }

  /** Accepted questions still waiting for their vote. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Pairs whose k-sample vote passes the run's bar. */
  get passingCount(): number {
    return this.#passing;
  }

  samplesOf(seq: number): AnswerSampleRecord[] {
    return [...(this.#samples.get(seq) ?? [])];
  }

  hasPair(seq: number): boolean {
    return this.#pairs.has(seq);
  }

  /** Accepted questions still waiting for their vote, oldest first. */
  pendingAnswers(): IterableIterator<QuestionRecord> {
    return this.#pending.values();
  }

  /** The nearest accepted question to each vector, in one pass over the accepted set. */
  nearestMany(vectors: readonly Float32Array[]): (NearestAccepted | null)[] {
    return this.#index.nearestMany(vectors).map((hit) => this.#named(hit));
  }

  #named(hit: Neighbour | null): NearestAccepted | null {
    if (!hit) return null;
    const row = this.#acceptedRows[hit.index];
    if (!row || row.text === null) return null;
    return { seq: row.seq, text: row.text, similarity: hit.similarity };
  }

  get saturation(): SaturationWindow {
    return this.#window;
  }

  counts(): {
    rejected: number;
    malformed: number;
    byReason: Partial<Record<RejectionReason, number>>;
  } {
    return {
      rejected: this.#rejected,
      malformed: this.#rejectedBy.get('no-question') ?? 0,
      byReason: Object.fromEntries(this.#rejectedBy),
    };
  }
}

/** Why the run should stop proposing, or null to go on. */
export function proposalStop(state: RunState): StopReason | null {
  const { config } = state;
  // Counting the questions still being voted on as if they pass: more are proposed only when
  // the target could not be met otherwise, so the proposals are the same at any concurrency.
  if (state.passingCount + state.pendingCount >= config.targetQuestions) return 'target';
  if (state.questions.length >= config.proposalBudget) return 'budget';
  if (state.saturation.saturated(config.saturationMinAcceptance)) return 'saturated';
  return null;
}
