// What a run has produced so far, rebuilt from the store's snapshot and kept in step with
// every write, so the scheduler can decide the next step from stored facts alone. Every figure
// is kept incrementally: a step costs the same at the ten-thousandth proposal as at the first.
import type { RunConfig } from './config';
import { SaturationWindow, type NearestAccepted } from './diversify';
import type {
  AnswerSampleRecord,
  QaPairRecord,
  QuestionRecord,
  RejectionReason,
  RunSnapshot,
} from './types';
import { VectorIndex } from './vectorIndex';

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

  nearest(vector: Float32Array): NearestAccepted | null {
    const hit = this.#index.nearest(vector);
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
