import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractQuestion } from '../src/lib/crescent/extractQuestion';

const CUPCAKES =
  'A bakery sells cupcakes for $2.50 each. If Maria buys 12 cupcakes and pays with a $50 bill, how much change does she get?';

describe('extractQuestion (clean)', () => {
  it.each([
    ['returns a bare problem as it is', CUPCAKES, CUPCAKES],
    [
      'drops a chatty preamble on its own line',
      `Sure! Here's a unique math word problem:\n\n${CUPCAKES}`,
      CUPCAKES,
    ],
    ['drops a preamble on the same line', `Here is a problem for you: ${CUPCAKES}`, CUPCAKES],
    ['drops a bold Problem label', `**Problem:** ${CUPCAKES}`, CUPCAKES],
    ['drops a Problem heading line', `**Problem:**\n${CUPCAKES}`, CUPCAKES],
    ['drops a Question label', `Question: ${CUPCAKES}`, CUPCAKES],
    ['drops a Math Word Problem label', `Math Word Problem: ${CUPCAKES}`, CUPCAKES],
    ['drops a bold title line', `**The Bakery Puzzle**\n\n${CUPCAKES}`, CUPCAKES],
    ['drops a markdown heading title', `## Cupcake Change\n${CUPCAKES}`, CUPCAKES],
    ['drops surrounding quotes', `"${CUPCAKES}"`, CUPCAKES],
    ['drops curly quotes', `“${CUPCAKES}”`, CUPCAKES],
    ['cuts an answer section', `${CUPCAKES}\n\nAnswer: $20`, CUPCAKES],
    ['cuts a bold solution section', `${CUPCAKES}\n\n**Solution:**\n12 × 2.50 = 30`, CUPCAKES],
    ['cuts a GSM8K answer line', `${CUPCAKES}\n#### 20`, CUPCAKES],
    ['cuts a note line', `${CUPCAKES}\n\nNote: prices include tax.`, CUPCAKES],
    ['cuts a parenthesised note', `${CUPCAKES} (Note: ignore tax.)`, CUPCAKES],
    ['cuts a hint', `${CUPCAKES}\n\nHint: start with the total cost.`, CUPCAKES],
    ['cuts a sign-off', `${CUPCAKES}\n\nI hope you enjoy solving it!`, CUPCAKES],
    ['cuts an offer to help', `${CUPCAKES}\n\nLet me know if you want the answer.`, CUPCAKES],
    ['cuts a sign-off on the same line', `${CUPCAKES} Good luck!`, CUPCAKES],
    ['cuts an inline answer', `${CUPCAKES} Answer: $20.`, CUPCAKES],
    [
      'joins a problem spread over lines',
      'A farmer has 15 cows and 23 chickens.\nEach cow eats 4 kg of hay a day.\nHow much hay do the cows eat in a week?',
      'A farmer has 15 cows and 23 chickens. Each cow eats 4 kg of hay a day. How much hay do the cows eat in a week?',
    ],
    [
      'keeps a problem that ends with an instruction instead of a question mark',
      'A store sells pens at $1.20 each and notebooks at $3.40 each. Find the total cost of 5 pens and 2 notebooks.',
      'A store sells pens at $1.20 each and notebooks at $3.40 each. Find the total cost of 5 pens and 2 notebooks.',
    ],
    [
      'keeps LaTeX, percentages and apostrophes',
      "Tom's savings grow by 5% a year. If $x = \\frac{3}{4}$ of $1,200 is saved, what's x - 100?",
      "Tom's savings grow by 5% a year. If $x = \\frac{3}{4}$ of $1,200 is saved, what's x - 100?",
    ],
    [
      'keeps "Answer in ..." when it is part of the problem',
      'What fraction of the 12 pies is left? Answer in simplest form.',
      'What fraction of the 12 pies is left? Answer in simplest form.',
    ],
    [
      'removes emphasis but not multiplication',
      'If *each* box holds 2*3*4 marbles, how many marbles are in 5 boxes?',
      'If each box holds 2*3*4 marbles, how many marbles are in 5 boxes?',
    ],
    [
      'keeps only the first of several problems',
      `Problem 1: ${CUPCAKES}\n\nProblem 2: What is 2 + 2 times 10 minus 3?`,
      CUPCAKES,
    ],
    [
      'drops an exclamation, a preamble and a title before the problem',
      "What a great challenge!\n\nHere's a unique, high school level math word problem:\n\n**The Mysterious Garden**\n\nA gardener plants 3 rows of 12 tulips. How many tulips are there?",
      'A gardener plants 3 rows of 12 tulips. How many tulips are there?',
    ],
    [
      'drops a leading interjection but keeps a clock time',
      'Sure! A train leaves at 3:45 pm and travels 120 miles at 40 mph. When does it arrive?',
      'A train leaves at 3:45 pm and travels 120 miles at 40 mph. When does it arrive?',
    ],
    [
      'drops an offer line and a Problem heading',
      "I'd be happy to create a problem for you!\n\n**Problem:**\nA rectangular garden measures 15.5 m by 8 m. Find its perimeter.",
      'A rectangular garden measures 15.5 m by 8 m. Find its perimeter.',
    ],
    [
      'takes the modified question of a rewrite that quotes the original',
      `Here's a modified version of the question:\n\nOriginal question: ${CUPCAKES}\n\n**Modified question:** A shop sells muffins for $3.25 each. If Leo buys 8 muffins with a $40 bill, how much change does he get?`,
      'A shop sells muffins for $3.25 each. If Leo buys 8 muffins with a $40 bill, how much change does he get?',
    ],
    [
      'ignores a thinking block',
      `<think>\nThe user wants a problem.\n</think>\n\n${CUPCAKES}`,
      CUPCAKES,
    ],
  ])('%s', (_, reply, expected) => {
    expect(extractQuestion(reply)).toBe(expected);
  });

  it.each([
    ['an empty reply', ''],
    ['a refusal', "I'm sorry, but I can't create that problem for you."],
    ['only a heading', '**Problem:**'],
    ['only an answer', 'Answer: 42'],
    ['a solution first', 'Solution: the answer is 42 because 6 * 7 = 42. What else?'],
    ['a fragment too short to be a problem', 'Find the cost.'],
    ['a statement that asks nothing', 'A train travels 60 km per hour for 3 hours.'],
  ])('is null for %s', (_, reply) => {
    expect(extractQuestion(reply)).toBeNull();
  });
});

describe('extractQuestion (paper)', () => {
  it('takes the text after "Problem:" and deletes symbols, apostrophes and decimal points', () => {
    expect(
      extractQuestion(
        `Sure! Problem: Tom's 3.5 kg bag costs $12 + 10% tax = ? How much is 1/2 of it?`,
        {
          mode: 'paper',
        },
      ),
    ).toBe('Toms 3 5 kg bag costs 12 10 tax ? How much is 12 of it?');
  });

  it('keeps a reply without the marker whole', () => {
    expect(extractQuestion('A - B = 3. Find A.', { mode: 'paper' })).toBe('A B 3. Find A.');
  });

  it('is null only when nothing is left', () => {
    expect(extractQuestion('Problem: $ + = -', { mode: 'paper' })).toBeNull();
    expect(extractQuestion('ok', { mode: 'paper' })).toBe('ok');
  });
});

describe('extractQuestion properties', () => {
  const token = fc.constantFrom(
    'farmer',
    'has',
    '12',
    'cows',
    '$3.50',
    '25%',
    '3/4',
    'x',
    '+',
    '=',
    '-',
    '*',
    "don't",
    "Tom's",
    '\\frac{1}{2}',
    '2.75',
    'meters',
    '(each)',
    '1,200',
    'and',
  );
  const problem = fc
    .tuple(
      fc.constantFrom('A', 'Each', 'If', 'Tom'),
      fc.array(token, { minLength: 4, maxLength: 30 }),
    )
    .map(([first, rest]) => `${first} ${rest.join(' ')}. How many are left?`);
  const preamble = fc.constantFrom(
    '',
    'Sure! Here is a problem:\n\n',
    '**Problem:** ',
    'Question:\n',
  );
  const trailer = fc.constantFrom(
    '',
    '\n\nAnswer: 7',
    '\n\n**Solution:**\nStep 1',
    '\n\nGood luck!',
  );

  it('never deletes characters from a well-formed problem inside a chatty reply', () => {
    fc.assert(
      fc.property(preamble, problem, trailer, (before, text, after) => {
        expect(extractQuestion(`${before}${text}${after}`)).toBe(text);
      }),
    );
  });
});

const GSM8K = new URL('../../shared/evals/gsm8k_test.jsonl', import.meta.url);

describe.skipIf(!existsSync(GSM8K))('extractQuestion on the GSM8K test questions', () => {
  it('returns every one of the 1319 questions intact, bare or wrapped in a chatty reply', () => {
    const questions = readFileSync(GSM8K, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) =>
        (JSON.parse(line) as { question: string }).question.replace(/\s+/g, ' ').trim(),
      );
    expect(questions).toHaveLength(1319);
    const wrap = (q: string): string =>
      `Sure! Here's a unique math word problem:\n\n**Problem:** ${q}\n\n**Solution:**\nStep 1: ...\n#### 42`;
    const damaged = questions.filter(
      (q) => extractQuestion(q) !== q || extractQuestion(wrap(q)) !== q,
    );
    expect(damaged).toEqual([]);
  });
});
