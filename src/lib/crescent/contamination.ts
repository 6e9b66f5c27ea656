// Decontamination against public test sets: a question that shares a word n-gram with a benchmark
// question, or whose embedding is too close to one, would leak the benchmark into training data.
// Numbers are masked before n-grams are taken, so a copy with only its numbers changed still matches.
import type { VectorIndex } from './vectorIndex';

/** Number words a rewrite swaps as freely as digits ("Three of the women" → "Four of the women"). */
const NUMBER_WORDS = new Set(
  (
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen ' +
    'sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety ' +
    'hundred thousand million billion half twice thrice double triple dozen'
  ).split(' '),
);

const NUMBER_TOKEN = '#';

/**
 * The words n-grams are made of: Unicode-normalised, lower case, punctuation dropped, every number
 * (digits with their separators, fractions, decimals, number words) replaced by one token.
 */
export function contaminationWords(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    // 1,234.5 and 3/4 and 2.5 are one number each; a leading minus or currency sign goes with the punctuation.
    .replace(/\d+(?:[.,/]\d+)*/g, ` ${NUMBER_TOKEN} `)
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .split(' ');
  const out: string[] = [];
  for (const w of words) {
    if (w === '') continue;
    out.push(NUMBER_WORDS.has(w) ? NUMBER_TOKEN : w);
  }
  return out;
}

/** The word n-grams of `words`; a text shorter than `n` words is one gram of all of them. */
export function wordNgrams(words: readonly string[], n: number): string[] {
  if (words.length === 0) return [];
  if (words.length <= n) return [words.join(' ')];
  const grams: string[] = [];
  for (let i = 0; i + n <= words.length; i++) grams.push(words.slice(i, i + n).join(' '));
  return grams;
}

export interface NgramMatch {
  /** Position of the benchmark question in the list the index was built from. */
  index: number;
  /** The shared n-gram, in normalised words. */
  ngram: string;
}

/** Every n-gram of a benchmark, for exact lookups of a candidate's n-grams. */
export class BenchmarkNgrams {
  readonly n: number;
  private readonly firstOwner = new Map<string, number>();

  constructor(questions: readonly string[], n: number) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`The n-gram length must be a positive integer, got ${n}.`);
    }
    this.n = n;
    questions.forEach((q, i) => {
      for (const gram of wordNgrams(contaminationWords(q), n)) {
        if (!this.firstOwner.has(gram)) this.firstOwner.set(gram, i);
      }
    });
  }

  get size(): number {
    return this.firstOwner.size;
  }

  /** The first n-gram of `text` (in reading order) that a benchmark question has too. */
  match(text: string): NgramMatch | null {
    for (const gram of wordNgrams(contaminationWords(text), this.n)) {
      const index = this.firstOwner.get(gram);
      if (index !== undefined) return { index, ngram: gram };
    }
    return null;
  }
}

export interface ContaminationRule {
  /** Word n-gram length; 0 turns the n-gram rule off. */
  ngram: number;
  /** Cosine similarity to the nearest benchmark question above which a question is rejected; 1 turns it off. */
  similarity: number;
}

/**
 * Word 8-grams, as open-r1's decontamination uses: on GSM8K test they catch 91% of GSM-Plus and
 * GSM-Hard rewrites and flag 1.7% of MATH problems (scripts/contamination-rule.ts). Paraphrases
 * that share no 8-gram are left to the embedding rule, set above the deduplication threshold
 * (0.875) because one benchmark question near a new one is weaker evidence than a near copy.
 */
export const DEFAULT_CONTAMINATION_RULE: ContaminationRule = { ngram: 8, similarity: 0.9 };

/** One benchmark, ready to check against. */
export interface LoadedBenchmark {
  name: string;
  questions: readonly string[];
  ngrams: BenchmarkNgrams | null;
  /** Embeddings of `questions`, in the same order, by the embedder used for deduplication. */
  vectors: VectorIndex | null;
}

export interface ContaminationHit {
  benchmark: string;
  /** Position of the matched question in its benchmark. */
  index: number;
  question: string;
  by: 'ngram' | 'embedding';
  /** The shared n-gram, for an n-gram hit. */
  ngram?: string;
  /** Cosine similarity to the matched question (always given when embeddings are loaded). */
  similarity?: number;
}

/**
 * The first benchmark `text` leaks from, n-grams before embeddings (an n-gram hit is certain, a
 * similarity one a judgement). `embedding` may be omitted when only the n-gram rule applies.
 */
export function findContamination(
  text: string,
  embedding: Float32Array | undefined,
  benchmarks: readonly LoadedBenchmark[],
  rule: ContaminationRule,
): ContaminationHit | null {
  for (const b of benchmarks) {
    const gram = rule.ngram > 0 ? b.ngrams?.match(text) : null;
    const near = embedding && b.vectors && b.vectors.size > 0 ? b.vectors.nearest(embedding) : null;
    if (gram) {
      const hit: ContaminationHit = {
        benchmark: b.name,
        index: gram.index,
        question: b.questions[gram.index] ?? '',
        by: 'ngram',
        ngram: gram.ngram,
      };
      if (embedding && b.vectors && gram.index < b.vectors.size) {
        hit.similarity = b.vectors.similarity(gram.index, embedding);
      }
      return hit;
    }
    if (near && rule.similarity < 1 && near.similarity > rule.similarity) {
      return {
        benchmark: b.name,
        index: near.index,
        question: b.questions[near.index] ?? '',
        by: 'embedding',
        similarity: near.similarity,
      };
    }
  }
  return null;
}
