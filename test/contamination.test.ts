import { describe, expect, it } from 'vitest';
import {
  BenchmarkNgrams,
  contaminationWords,
  findContamination,
  wordNgrams,
  type LoadedBenchmark,
} from '../src/lib/crescent/contamination';
import { VectorIndex } from '../src/lib/crescent/vectorIndex';

const JANET =
  'Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four.';

describe('contaminationWords', () => {
  it('lower-cases, drops punctuation and masks digits, decimals, fractions and number words', () => {
    expect(contaminationWords('Tom has 1,234.5 apples, 3/4 of a pie and TWO dogs!')).toEqual(
      'tom has # apples # of a pie and # dogs'.split(' '),
    );
  });
  it('keeps letters of any script and normalises compatibility forms', () => {
    expect(contaminationWords('Ｃafé — naïve')).toEqual(['café', 'naïve']);
  });
  it('gives nothing for text without words', () => {
    expect(contaminationWords(' ... !! ')).toEqual([]);
  });
});

describe('wordNgrams', () => {
  it('slides a window of n words', () => {
    expect(wordNgrams(['a', 'b', 'c', 'd'], 3)).toEqual(['a b c', 'b c d']);
  });
  it('makes one gram of a text no longer than n', () => {
    expect(wordNgrams(['a', 'b'], 3)).toEqual(['a b']);
    expect(wordNgrams(['a', 'b', 'c'], 3)).toEqual(['a b c']);
    expect(wordNgrams([], 3)).toEqual([]);
  });
});

describe('BenchmarkNgrams', () => {
  const index = new BenchmarkNgrams(['A robe takes 2 bolts of blue fiber.', JANET], 8);

  it('catches a verbatim copy and one with only its numbers changed', () => {
    expect(index.match(JANET)).toEqual({
      index: 1,
      ngram: 'janet s ducks lay # eggs per day',
    });
    const renumbered = JANET.replace('16', '20').replace('three', 'five').replace('four', '7');
    expect(index.match(renumbered)?.index).toBe(1);
  });
  it('catches a copy embedded in a longer question', () => {
    expect(index.match(`Here is one. ${JANET} Answer fast.`)?.index).toBe(1);
  });
  it('lets a different problem through, even with common words', () => {
    expect(index.match('Janet has 16 cats. How many legs do her cats have in total?')).toBeNull();
  });
  it('matches a question shorter than n only when it is the whole text', () => {
    const short = new BenchmarkNgrams(['What is 2 + 3?'], 8);
    expect(short.match('What is 7 plus 9?')).toBeNull();
    expect(short.match('what is 4 + 1')?.index).toBe(0);
  });
  it('reports the first benchmark question that has the gram', () => {
    const twice = new BenchmarkNgrams([JANET, JANET], 8);
    expect(twice.match(JANET)?.index).toBe(0);
    expect(twice.size).toBe(new BenchmarkNgrams([JANET], 8).size);
  });
  it('refuses a length that is not a positive integer', () => {
    expect(() => new BenchmarkNgrams([], 0)).toThrow(RangeError);
    expect(() => new BenchmarkNgrams([], 2.5)).toThrow(/positive integer/);
  });
});

describe('findContamination', () => {
  const unit = (...xs: number[]): Float32Array => {
    const v = Float32Array.from(xs);
    const norm = Math.hypot(...xs);
    return v.map((x) => x / norm);
  };
  const questions = [JANET, 'A robe takes 2 bolts of blue fiber and half that much white fiber.'];
  const benchmark: LoadedBenchmark = {
    name: 'gsm8k',
    questions,
    ngrams: new BenchmarkNgrams(questions, 8),
    vectors: VectorIndex.fromVectors(2, [unit(1, 0), unit(0, 1)]),
  };
  const rule = { ngram: 8, similarity: 0.9 };

  it('names the benchmark, the question, the gram and its similarity for an n-gram hit', () => {
    expect(findContamination(JANET, unit(1, 0.1), [benchmark], rule)).toEqual({
      benchmark: 'gsm8k',
      index: 0,
      question: JANET,
      by: 'ngram',
      ngram: 'janet s ducks lay # eggs per day',
      similarity: expect.closeTo(unit(1, 0.1)[0] ?? 0, 6),
    });
  });
  it('rejects a paraphrase by embedding only above the similarity', () => {
    const text = 'Some cloth is needed for a gown.';
    const above = findContamination(text, unit(0.1, 1), [benchmark], rule);
    expect(above).toMatchObject({ by: 'embedding', index: 1, question: questions[1] });
    expect(above?.similarity).toBeGreaterThan(0.9);
    expect(findContamination(text, unit(1, 1), [benchmark], rule)).toBeNull();
    // Exactly at the similarity is not above it.
    const at = unit(1, 1)[0] ?? 0;
    expect(
      findContamination(text, unit(1, 1), [benchmark], { ngram: 8, similarity: at }),
    ).toBeNull();
  });
  it('turns each rule off on its own', () => {
    expect(
      findContamination(JANET, unit(0, 1), [benchmark], { ngram: 0, similarity: 1 }),
    ).toBeNull();
    expect(
      findContamination(JANET, undefined, [benchmark], { ngram: 0, similarity: 0.5 }),
    ).toBeNull();
    expect(findContamination(JANET, undefined, [benchmark], { ngram: 8, similarity: 1 })?.by).toBe(
      'ngram',
    );
  });
  it('checks every benchmark in order', () => {
    const other: LoadedBenchmark = { name: 'math', questions: ['x'], ngrams: null, vectors: null };
    expect(findContamination(JANET, undefined, [other, benchmark], rule)?.benchmark).toBe('gsm8k');
    expect(findContamination(JANET, undefined, [other], rule)).toBeNull();
  });
});
