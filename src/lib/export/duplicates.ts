// Telling the same question apart from a new one, as a reader would: ignoring case, spacing,
// Unicode compatibility forms and the punctuation that ends the sentence. The one notion of
// question identity: the importer's in-file check and the stored questions' keys both use it.

const SPACES = /\s+/gu;
const TRAILING_PUNCTUATION = /[\s.?!;:,…。？！．]+$/u;
// Fast paths for the common case (a 100k-line import normalises 100k questions): printable
// ASCII is already NFKC, and single plain spaces need no collapsing.
const BEYOND_ASCII = /[^\t\n\r -~]/;
const SPACING_TO_COLLAPSE = /\s\s|[^\S ]/;

export function normaliseQuestion(question: string): string {
  let text = BEYOND_ASCII.test(question) ? question.normalize('NFKC') : question;
  text = text.toLowerCase();
  if (SPACING_TO_COLLAPSE.test(text)) text = text.replace(SPACES, ' ');
  return text.trim().replace(TRAILING_PUNCTUATION, '');
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
  readonly #existingKeys: ReadonlySet<string>;
  readonly #seen = new Map<string, number>();

  /**
   * `existing` holds question texts; `existingKeys` holds questions already passed through
   * normaliseQuestion (as the store hands them out), used as they are.
   */
  constructor(existing: Iterable<string> = [], existingKeys: ReadonlySet<string> = new Set()) {
    for (const q of existing) this.#existing.add(normaliseQuestion(q));
    this.#existingKeys = existingKeys;
  }

  /** The duplicate this line makes, or null when its question is new. */
  check(question: string, line: number): Duplicate | null {
    const key = normaliseQuestion(question);
    if (this.#existing.has(key) || this.#existingKeys.has(key)) return { line, of: 'existing' };
    const first = this.#seen.get(key);
    if (first !== undefined) return { line, of: first };
    this.#seen.set(key, line);
    return null;
  }
}
