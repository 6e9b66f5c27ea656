// Exact outputs of the robust answer extractor, one marker form or fallback path per case, so
// that a loosened pattern (an anchor, a quantifier, a character class) or a dropped branch changes
// a result here. Most replies carry a decoy number after the answer, so that falling through to
// "the last number" gives a different value from reading the marker.
import { describe, expect, it } from 'vitest';
import { extractAnswer } from '../src/lib/crescent/extractAnswer';

/** A later remark whose value differs from the answer, read only if a marker is missed. */
const LATER_REMARK = '\nCheck: the answer is 2 more than 16.';

describe('extractAnswer (robust), #### marker forms', () => {
  it.each([
    ['reads a #### answer before a later number', '#### 18\nThat took 3 steps.', '18'],
    ['reads #### with no space before the value', '####18\nThat took 3 steps.', '18'],
    ['reads "#### Answer" without a colon', '#### Answer 18\nThat took 3 steps.', '18'],
    ['reads "#### Final Answer" without a colon', '#### Final Answer 18\nThat took 3 steps.', '18'],
    [
      'reads "#### Final  Answer" with extra spaces between the words',
      '#### Final  Answer 18\nThat took 3 steps.',
      '18',
    ],
    [
      'ranks "#### Answer:18" above an earlier "the answer is"',
      'I first thought the answer is 15.\n#### Answer:18',
      '18',
    ],
    [
      'reads a #### line that opens with a LaTeX command and equals a value',
      '#### \\sqrt{81} = 9\nThat took 2 steps.',
      '9',
    ],
    [
      'does not read an equation inside a #### heading that opens with a word',
      '#### Step 1: x = 3\nThen x + 4 = 7',
      '7',
    ],
    [
      'does not pick a number out of a #### heading that opens with dashes',
      '#### -- Step 2: add 12 and 3\n12 + 3 = 15',
      '15',
    ],
  ])('%s', (_, reply, expected) => {
    expect(extractAnswer(reply)).toBe(expected);
  });
});

describe('extractAnswer (robust), "final answer" marker forms', () => {
  it.each([
    ['"The final answer is" outranks a later "the answer is"', 'The final answer is 18.', '18'],
    ['"Final answer:" with no space before the value', 'Final answer:18', '18'],
    ['"final  answer" with two spaces between the words', 'The final  answer is 18.', '18'],
    ['a final answer given as an equation takes its value', 'The final answer is x = 18.', '18'],
  ])('%s', (_, answer, expected) => {
    expect(extractAnswer(answer + LATER_REMARK)).toBe(expected);
  });
});

describe('extractAnswer (robust), "the answer is" and "Answer:" forms', () => {
  it.each([
    ['reads "the answer=" with no spaces', 'So the answer=18, found in 3 steps.', '18'],
    [
      'reads "the answer is:" with no space before the value',
      'The answer is:18, after 3 steps.',
      '18',
    ],
    [
      'reads a note in brackets before "is"',
      'Therefore, the answer (arabic numerals) is 70, after 3 steps.',
      '70',
    ],
    [
      'reads a note in brackets written right against "="',
      'The answer (in dollars)=45, reached in 3 weeks.',
      '45',
    ],
    ['reads an "Answer:" label before a later number', 'Answer: 18\nIt took 3 steps.', '18'],
    ['reads the value an "Answer:" equation equals', 'Answer: x = 5\nIt took 3 steps.', '5'],
    [
      'does not take a word that starts with "answer" as the marker',
      'Questions answered: 4\nQuestions skipped: 2\nTotal: 6',
      '6',
    ],
  ])('%s', (_, reply, expected) => {
    expect(extractAnswer(reply)).toBe(expected);
  });

  it('takes the last occurrence of the same marker', () => {
    expect(extractAnswer('The answer is 3.\nOn reflection, the answer is 5.')).toBe('5');
  });

  it('prefers a value right after a later marker to one inside an earlier sentence', () => {
    expect(extractAnswer('The answer is that she needs 5 dozens.\nAnswer: 7')).toBe('7');
  });
});

describe('extractAnswer (robust), reading the clause after a marker', () => {
  it.each([
    [
      'reads a value wrapped in quotes',
      'First guess: the answer is 20.\nCorrected: the answer is "18".',
      '18',
    ],
    [
      'reads a value wrapped in quotes and backticks',
      'First guess: the answer is 20.\nCorrected, the answer is `"18"`.',
      '18',
    ],
    ['takes the value after the last "=" when the sides have no spaces', 'Answer: 3+4=7', '7'],
    [
      'takes the value after "=" when the sides are spaced',
      'The answer is 9.\nCorrection: the answer is 3 + 4 = 7.',
      '7',
    ],
    [
      'takes the value after "=" right after a one-letter variable',
      'The answer is 9.\nNo wait, the answer is x=5.',
      '5',
    ],
    ['keeps the denominator of a fraction that ends the sentence', 'The answer is 3/4.', '0.75'],
    ['reads math written after the marker as text', 'The answer is $x+1$.', 'x+1'],
    ['reads math written after an equals sign as text', 'Answer: y = $x+1$', 'x+1'],
    [
      'does not read math that comes after prose words',
      'The answer is found by solving for $n$.\nSo n = 12',
      '12',
    ],
  ])('%s', (_, reply, expected) => {
    expect(extractAnswer(reply)).toBe(expected);
  });
});

describe('extractAnswer (robust), JSON answer fields', () => {
  it.each([
    ['the last "answer" field wins', '{"answer": "3"}\n{"answer": "5"}', '5'],
    [
      'an empty last "answer" field falls back to the earlier filled one',
      '{"answer": "12"}\nRevised: {"answer": "", "checked": 2}',
      '12',
    ],
    ['reads a field with a space before the colon', '{"answer" : "12", "steps": 3}', '12'],
    ['reads compact JSON without spaces', '{"answer":"12","steps":3}', '12'],
    ['reads an unquoted number', '{"answer": 12, "steps": 3}', '12'],
    ['keeps the sign of an unquoted negative number', '{"answer": -4, "steps": 3}', '-4'],
    ['reads an unquoted decimal', '{"answer": 2.5, "steps": 3}', '2.5'],
    ['reads escaped quotes inside the string as quotes', '{"answer": "f(\\"a\\")"}', 'f("a")'],
  ])('%s', (_, reply, expected) => {
    expect(extractAnswer(reply)).toBe(expected);
  });
});

describe('extractAnswer (robust), boxes and the last-number fallback', () => {
  it('falls back to an earlier box when the last one is unreadable', () => {
    expect(extractAnswer('First \\boxed{12}, then 3 more: \\boxed{-}')).toBe('12');
  });

  it('ignores a box that is never closed', () => {
    expect(extractAnswer('First guess \\boxed{12, then the total is 7')).toBe('7');
  });

  it('skips a last number that cannot be read (a division by zero)', () => {
    expect(extractAnswer('There are 12 eggs; the ratio 1/0 is undefined')).toBe('12');
  });
});
