// Telling the same question apart from a new one, as a reader would: ignoring case, spacing,
// Unicode compatibility forms and the punctuation that ends the sentence.

const SPACES = /\s+/gu;
const TRAILING_PUNCTUATION = /[\s.?!;:,…。？！．]+$/u;

export function normaliseQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPACES, ' ')
    .trim()
    .replace(TRAILING_PUNCTUATION, '');
}

export interface Duplicate {
  /** 1-based line of the repeated question. */
  line: number;
  /** The earlier line it repeats, or 'existing' when the question is already stored. */
  of: number | 'existing';
}

/** Remembers questions seen so far; each check is one hash look-up. */
export class DuplicateFinder {
  readonly #existing = new Set<string>();
  readonly #seen = new Map<string, number>();

  constructor(existing: Iterable<string> = []) {
    for (const q of existing) this.#existing.add(normaliseQuestion(q));
  }

  /** The duplicate this line makes, or null when its question is new. */
  check(question: string, line: number): Duplicate | null {
    const key = normaliseQuestion(question);
    if (this.#existing.has(key)) return { line, of: 'existing' };
    const first = this.#seen.get(key);
    if (first !== undefined) return { line, of: first };
    this.#seen.set(key, line);
    return null;
  }
}
