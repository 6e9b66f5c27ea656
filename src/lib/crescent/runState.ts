// What a run has produced so far, rebuilt from the store's snapshot and kept in step with
// every write, so the scheduler can decide the next step from stored facts alone.
import type { RunConfig } from './config';
import type { NearestAccepted } from './diversify';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord, RunSnapshot } from './types';
import { VectorIndex } from './vectorIndex';

export class RunState {
  readonly questions: QuestionRecord[] = [];
  readonly #index: VectorIndex;
  /** Index position -> the accepted question stored there. */
  readonly #acceptedRows: QuestionRecord[] = [];
  readonly #samples = new Map<number, AnswerSampleRecord[]>();
  readonly #pairs = new Map<number, QaPairRecord>();
  tokens = 0;
  samplesDrawn = 0;
  samplesSaved = 0;

  constructor(
    readonly config: RunConfig,
    dim: number,
    snapshot: RunSnapshot,
  ) {
    this.#index = new VectorIndex(dim);
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
    if (q.status === 'accepted' && q.text !== null) {
      if (!q.embedding) throw new Error(`accepted question ${q.seq} has no embedding`);
      this.#index.add(q.embedding);
      this.#acceptedRows.push(q);
    }
  }

  addSample(s: AnswerSampleRecord): void {
    const list = this.#samples.get(s.questionSeq) ?? [];
    list[s.index] = s;
    this.#samples.set(s.questionSeq, list);
    this.tokens += s.tokens;
    this.samplesDrawn++;
  }

  addPair(p: QaPairRecord): void {
    this.#pairs.set(p.questionSeq, p);
    this.samplesSaved += Math.max(0, p.k - p.samples);
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

  samplesOf(seq: number): AnswerSampleRecord[] {
    return [...(this.#samples.get(seq) ?? [])];
  }

  hasPair(seq: number): boolean {
    return this.#pairs.has(seq);
  }

  /** Accepted questions still waiting for their vote, oldest first. */
  pendingAnswers(): QuestionRecord[] {
    return this.#acceptedRows.filter((q) => !this.#pairs.has(q.seq));
  }

  nearest(vector: Float32Array): NearestAccepted | null {
    const hit = this.#index.nearest(vector);
    if (!hit) return null;
    const row = this.#acceptedRows[hit.index];
    if (!row || row.text === null) return null;
    return { seq: row.seq, text: row.text, similarity: hit.similarity };
  }

  counts(): { rejected: number; malformed: number } {
    let rejected = 0;
    let malformed = 0;
    for (const q of this.questions) {
      if (q.status !== 'rejected') continue;
      rejected++;
      if (q.reason === 'no-question') malformed++;
    }
    return { rejected, malformed };
  }
}
