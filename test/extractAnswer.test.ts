import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractAnswer } from '../src/lib/crescent/extractAnswer';
import { canonicalFraction, canonicalNumber } from '../src/lib/crescent/canonicalAnswer';

describe('extractAnswer (robust)', () => {
  it.each([
    ['reads the paper prompt marker', 'So she sells 9 eggs.\n\n#### Answer: 18', '18'],
    ['reads a bare GSM8K marker', '16 - 3 - 4 = 9\n9 * 2 = 18\n#### 18', '18'],
    ['prefers the box to a later number', 'The total is \\boxed{42}. That took 3 steps.', '42'],
    ['takes the last of several boxes', '\\boxed{12} is wrong; the fix gives \\boxed{15}', '15'],
    ['reads a box with nested braces', '$\\boxed{\\frac{3}{4}}$', '0.75'],
    ['reads currency and units in a box', '\\boxed{\\$1,250 \\text{ dollars}}', '1250'],
    ['reads a percent in a box as the bare number', '\\boxed{25\\%}', '25'],
    ['reads an ordinal in a box', 'Bill is on the \\boxed{18th} floor.', '18'],
    ['reads a value with attached units', '\\boxed{72Mb/hour}', '72'],
    ['reads the one value of a sentence in a box', '\\boxed{Seth is 16 years old}', '16'],
    ['keeps an algebraic box as text', '\\boxed{5x}', '5x'],
    ['keeps a surd as normalised text', '\\boxed{\\dfrac{\\sqrt{3}}{2}}', '\\frac{\\sqrt{3}}{2}'],
    [
      'keeps an interval as text',
      'So $x \\in \\boxed{\\left( -\\infty, 3 \\right]}$',
      '(-\\infty,3]',
    ],
    ['takes the value after an equation in a box', '\\boxed{x = -7}', '-7'],
    ['reads "The final answer is"', 'Adding up, 9 * 2 = 18.\nThe final answer is $18.', '18'],
    ['reads "The answer is" with trailing words', 'The answer is 12 apples.', '12'],
    ['reads a bold Answer label', 'Work...\n**Answer:** $1,234.50', '1234.5'],
    ['reads the value an answer line equals', 'Answer: 3 + 4 = 7 eggs', '7'],
    ['reads a JSON answer field', '{"reasoning": "9 eggs at $2", "answer": "18"}', '18'],
    [
      'reads a zero-shot trigger with a note',
      'Therefore, the answer (arabic numerals) is 70.',
      '70',
    ],
    ['reads the answer on the line after its label', 'Final answer:\n 0.5', '0.5'],
    ['skips a markdown heading made of hashes', '#### Step 1: add 3 and 4\n3 + 4 = 7 apples', '7'],
    [
      'prefers a value right after a marker to one inside a sentence',
      '"answer": "5"\nThe answer is that she needs 5 dozens for 30 days.',
      '5',
    ],
    [
      'picks the value from a sentence when nothing better exists',
      'The answer is that Jade needs 5 days for all 210 photos.',
      '5',
    ],
    ['falls back to the last number', 'She has 13 eggs and sells them for 26 dollars', '26'],
    ['does not read a subtraction as a negative', 'We get 20-12', '12'],
    ['reads a negative answer', 'The temperature is #### -10 degrees', '-10'],
    ['reads a unicode minus', 'The answer is −3.', '-3'],
    ['drops trailing zeros', '#### 2.50', '2.5'],
    ['reads 3.0 as 3', 'The answer is 3.0', '3'],
    ['reads a plain fraction by value', 'The answer is 3/4', '0.75'],
    ['reduces a non-terminating fraction', 'The answer is 2/6', '1/3'],
    ['reads a LaTeX fraction', 'The answer is $\\frac{1}{3}$.', '1/3'],
    ['reads a braceless LaTeX fraction', 'The answer is $\\tfrac12$', '0.5'],
    ['reads a mixed number', 'The answer is 1 1/2 cups', '1.5'],
    ['reads a LaTeX mixed number', '#### $2\\frac{1}{4}$', '2.25'],
    ['reads thousands separators', 'The answer is 1,450,000 dollars', '1450000'],
    ['reads LaTeX thousands separators', 'The answer is $1{,}234$', '1234'],
    ['does not join a list into one number', 'The factors are 1,2,3', '3'],
    ['reads euros and pounds', 'The answer is €5 or so', '5'],
    ['ignores a final answer with nothing readable', 'The answer is below.\nTotal: 41', '41'],
    ['keeps an expression in a JSON answer as text', '{"answer": "-8 + √29"}', '-8+√29'],
    ['keeps a list in a box as text, not one big number', '\\boxed{160, 300}', '160,300'],
    [
      'falls back past a box that gives up',
      'So 45 in all. \\boxed{\\text{cannot be determined}}',
      '45',
    ],
    ['reads LaTeX escaped inside JSON', '{"answer": "\\\\frac{2016}{3}"}', '672'],
  ])('%s', (_, reply, expected) => {
    expect(extractAnswer(reply)).toBe(expected);
  });

  it.each([
    ['an empty reply', ''],
    ['a reply without any number', 'I cannot determine this without more information.'],
    ['a box with only a dash', 'We cannot tell. \\boxed{-}'],
  ])('is null for %s', (_, reply) => {
    expect(extractAnswer(reply)).toBeNull();
  });

  it('makes two replies with the same value agree', () => {
    const a = extractAnswer('So the total is \\boxed{\\$2,500.00}');
    const b = extractAnswer('The final answer is 2500 dollars.');
    expect(a).toBe('2500');
    expect(b).toBe(a);
  });
});

describe('extractAnswer (paper)', () => {
  it.each([
    ['takes the last number', 'She has 13 eggs and sells them for 26 dollars.', '26'],
    ['ignores markers', '#### Answer: 18\nThat is 3 steps.', '3'],
    ['removes commas first', 'It costs $1,234.', '1234'],
    ['compares as a float', 'The answer is 3.0', '3'],
    ['reads a hyphen before digits as a sign', 'from 16 to 20-12', '-12'],
    ['splits fractions into numbers', 'The answer is 3/4', '4'],
  ])('%s', (_, reply, expected) => {
    expect(extractAnswer(reply, { mode: 'paper' })).toBe(expected);
  });

  it('is null without any digit', () => {
    expect(extractAnswer('no idea', { mode: 'paper' })).toBeNull();
  });
});

describe('canonical numbers', () => {
  it('rounds float artefacts and signed zero', () => {
    expect(canonicalNumber(0.1 + 0.2)).toBe('0.3');
    expect(canonicalNumber(-0)).toBe('0');
    expect(canonicalNumber(Number.NaN)).toBeNull();
  });

  it('keeps large integers exact', () => {
    expect(canonicalNumber(12345678901)).toBe('12345678901');
  });

  it('writes a fraction as its decimal only when it terminates', () => {
    expect(canonicalFraction(7, 8)).toBe('0.875');
    expect(canonicalFraction(-4, 6)).toBe('-2/3');
    expect(canonicalFraction(1, 0)).toBeNull();
  });
});

describe('extractAnswer properties', () => {
  const decimal = fc
    .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 999 }))
    .map(([whole, cents]) => `${whole}${cents > 0 ? `.${String(cents).padStart(3, '0')}` : ''}`);

  it('reads any number after the paper marker as its canonical value', () => {
    fc.assert(
      fc.property(decimal, (n) => {
        expect(extractAnswer(`Step by step...\n\n#### Answer: ${n}`)).toBe(
          canonicalNumber(Number(n)),
        );
      }),
    );
  });

  it('agrees with the paper rule on a bare number', () => {
    fc.assert(
      fc.property(decimal, (n) => {
        expect(extractAnswer(n)).toBe(extractAnswer(n, { mode: 'paper' }));
      }),
    );
  });

  it('returns a canonical string unchanged when read again', () => {
    const reply = fc.oneof(
      decimal.map((n) => `The answer is ${n}`),
      fc
        .tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: 1, max: 99 }))
        .map(([p, q]) => `\\boxed{\\frac{${p}}{${q}}}`),
      fc.constantFrom('\\boxed{\\sqrt{2}+1}', '\\boxed{(1, 2]}', '\\boxed{x^2 - 1}'),
    );
    fc.assert(
      fc.property(reply, (r) => {
        const canonical = extractAnswer(r);
        expect(canonical).not.toBeNull();
        expect(extractAnswer(`\\boxed{${canonical ?? ''}}`)).toBe(canonical);
        // A bare number reads back as itself; bare text would need a marker.
        if (canonical !== null && /^-?[\d./]+$/.test(canonical)) {
          expect(extractAnswer(canonical)).toBe(canonical);
        }
      }),
    );
  });
});
