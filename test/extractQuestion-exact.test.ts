// Exact outputs of the clean question extractor, one markdown or wording form per case, so that
// a loosened pattern (an anchor, a quantifier, a character class) changes a result here.
import { describe, expect, it } from 'vitest';
import { extractQuestion } from '../src/lib/crescent/extractQuestion';

const Q = 'Emma has 12 apples and buys 3 more. How many apples does she have?';

describe('extractQuestion (clean), exact forms', () => {
  it.each([
    ['unwraps a one-hash heading that holds the question', `# ${Q}`, Q],
    ['keeps a hash that is not a heading', `#3 ${Q}`, `#3 ${Q}`],
    ['drops a dash bullet', `- ${Q}`, Q],
    ['drops an indented bullet', `  - ${Q}`, Q],
    ['drops a quote marker', `> ${Q}`, Q],
    [
      'unwraps emphasis at the start of a line',
      '*Emma* has 12 apples and buys 3 more. How many apples does she have?',
      Q,
    ],
    [
      'unwraps emphasis that starts with a number',
      'Emma has *12 apples* and buys 3 more. How many apples does she have?',
      Q,
    ],
    [
      'unwraps emphasis that ends with a number',
      'Emma has *exactly 12* apples and buys 3 more. How many apples does she have?',
      'Emma has exactly 12 apples and buys 3 more. How many apples does she have?',
    ],
    [
      'unwraps emphasis at the end of a line',
      'Emma has 12 apples and buys 3 more.\nHow many apples does she *have*',
      'Emma has 12 apples and buys 3 more. How many apples does she have',
    ],
    ['drops a one-hash title', `# The Apple Basket\n${Q}`, Q],
    ['drops an indented bold title', `  **The Apple Basket**\n${Q}`, Q],
    ['drops a bold title with a spaced colon', `**The Apple Basket** :\n${Q}`, Q],
    ['drops a bold title with a trailing space', `**The Apple Basket**: \n${Q}`, Q],
    ['drops an underscored title', `__The Apple Basket__\n${Q}`, Q],
    ['drops an indented underscored title', `  __The Apple Basket__\n${Q}`, Q],
    ['drops an underscored title with a trailing space', `__The Apple Basket__ \n${Q}`, Q],
    [
      'keeps a first line that only ends in bold',
      'Emma goes to the **market**\nShe buys 3 apples at $2 each. How much does she spend?',
      'Emma goes to the market She buys 3 apples at $2 each. How much does she spend?',
    ],
    [
      'keeps a first line that only ends in underscores',
      'Emma goes to the __market__\nShe buys 3 apples at $2 each. How much does she spend?',
      'Emma goes to the market She buys 3 apples at $2 each. How much does she spend?',
    ],
    [
      'keeps a first line that only starts in bold',
      '**Emma** has 12 apples and buys 3 more.\nHow many apples does she have?',
      Q,
    ],
    [
      'keeps a first line that only starts in underscores',
      '__Emma__ has 12 apples and buys 3 more.\nHow many apples does she have?',
      Q,
    ],
    [
      'keeps a first line with a hash in the middle',
      'A train leaves platform # 3 at noon.\nHow far has it gone by 2 pm at 60 mph?',
      'A train leaves platform # 3 at noon. How far has it gone by 2 pm at 60 mph?',
    ],
    [
      'drops a heading of twelve words',
      `## One  two three four five six seven eight nine ten eleven twelve\n${Q}`,
      Q,
    ],
    [
      'keeps a heading of thirteen words',
      '## Emma has twelve apples and then buys three more at the big market\nHow many apples does she have?',
      'Emma has twelve apples and then buys three more at the big market How many apples does she have?',
    ],
    ['drops single quotes', `'${Q}'`, Q],
    ['drops backticks', `\`${Q}\``, Q],
    [
      'keeps a quote that opens the problem but does not close it',
      '"Emma" has 12 apples and buys 3 more. How many apples does she have?',
      '"Emma" has 12 apples and buys 3 more. How many apples does she have?',
    ],
    [
      'keeps a quote that closes the problem but does not open it',
      'Emma asks: how many apples do I have after I buy "3 more?"',
      'Emma asks: how many apples do I have after I buy "3 more?"',
    ],
    [
      'drops quotes that span lines and trims inside them',
      '"Emma has 12 apples and buys 3 more.\nHow many apples does she have? "',
      Q,
    ],
    [
      'keeps a note in the middle of the problem',
      'Emma has 12 apples (note: all red) and buys 3 more. How many apples does she have?',
      'Emma has 12 apples (note: all red) and buys 3 more. How many apples does she have?',
    ],
    ['cuts a hint stuck to the question', `${Q}(Hint: add them)`, Q],
    ['cuts an inline answer with a spaced colon', `${Q} Answer : 15`, Q],
    ['cuts an indented answer line', `${Q}\n  #### 15`, Q],
    ['cuts an answer line that starts with a minus', `${Q}\n#### -3`, Q],
    ['cuts an answer line that starts with a dollar', `${Q}\n#### $15`, Q],
    ['cuts an answer line with no space', `${Q}\n####15`, Q],
    ['cuts an answer line named Answer', `${Q}\n#### Answer: 15`, Q],
    ['keeps a line of hashes that is not an answer', `${Q}\n#### Bonus round`, `${Q} Bonus round`],
    ['drops an inline preamble after a label', `Problem: Here is a fun one: ${Q}`, Q],
    ['drops a numbered label', `Problem 12: ${Q}`, Q],
    ['drops a label with a spaced colon', `Question : ${Q}`, Q],
    ['drops a label and the spaces after it', `Problem:   ${Q}`, Q],
    [
      'keeps a label-like word inside the text',
      `Emma read problem 2: ${Q}`,
      `Emma read problem 2: ${Q}`,
    ],
    [
      'collapses runs of white space',
      'Emma has  12 apples and buys 3 more. How many\tapples does she have?',
      Q,
    ],
    ['accepts a problem of exactly five words', 'What is 2 plus 3?', 'What is 2 plus 3?'],
    [
      'keeps an apology inside the problem',
      'Emma said sorry to Tom 3 times a day. How many times did she say it in a week?',
      'Emma said sorry to Tom 3 times a day. How many times did she say it in a week?',
    ],
    [
      'stops at the next problem',
      `${Q}\nProblem 2: Tom has 5 pears. How many pears does he have?`,
      Q,
    ],
    ['stops at a spaced next problem label', `${Q}\nProblem 2 : Tom has 5 pears.`, Q],
    ['stops at a next problem numbered in two digits', `${Q}\nProblem 12. Tom has 5 pears.`, Q],
    ['stops at a next mathematics problem', `${Q}\nMathematics problem: Tom has 5 pears.`, Q],
    [
      'does not stop at a line that only mentions a problem',
      `Emma has 12 apples.\nThe problem asks: how many apples does she have after buying 3 more?`,
      'Emma has 12 apples. The problem asks: how many apples does she have after buying 3 more?',
    ],
    ['stops at a spaced answer heading', `${Q}\n( Answer: 15)`, Q],
    ['stops at an Answers heading', `${Q}\nAnswers: 15`, Q],
    ['stops at a Solutions heading', `${Q}\nSolutions: add them`, Q],
    ['stops at a Notes heading', `${Q}\nNotes: none`, Q],
    ['stops at a Hints heading', `${Q}\nHints: add them`, Q],
    ['stops at a numbered step', `${Q}\nStep 12: add 12 and 3`, Q],
    ['stops at a spaced answer label', `${Q}\nAnswer : 15`, Q],
    ['stops at a bare Answers line', `${Q}\nAnswers`, Q],
    ['stops at a bare Solutions line', `${Q}\nSolutions`, Q],
    ['stops at a bare step line', `${Q}\nStep 12`, Q],
    [
      'does not stop at a line that starts with the word answer',
      'Emma has 12 apples and buys 3 more.\nAnswer how many apples she has now in total.',
      'Emma has 12 apples and buys 3 more. Answer how many apples she has now in total.',
    ],
    [
      'does not stop at a line that starts with Stepping',
      'Emma has 12 apples.\nStepping out, she buys 3 more. How many apples does she have?',
      'Emma has 12 apples. Stepping out, she buys 3 more. How many apples does she have?',
    ],
    [
      'takes a rewrite label with a space before it',
      `Original question: ${Q}\n  New question: Tom has 5 pears and eats 2. How many pears are left?`,
      'Tom has 5 pears and eats 2. How many pears are left?',
    ],
    [
      'takes a rewrite label with two spaces inside it',
      `Original question: ${Q}\nNew  question: Tom has 5 pears and eats 2. How many pears are left?`,
      'Tom has 5 pears and eats 2. How many pears are left?',
    ],
    [
      'ignores a rewrite label in the middle of a line',
      'Tom wrote a new question: how many pears are left if he has 5 and eats 2?',
      'Tom wrote a new question: how many pears are left if he has 5 and eats 2?',
    ],
  ])('%s', (_, reply, expected) => {
    expect(extractQuestion(reply)).toBe(expected);
  });

  it.each([
    [
      'a refusal long enough to look like a problem',
      "I'm sorry, but I cannot write that. What else can I do?",
    ],
    ['an indented answer line first', `  #### 20\n${Q}`],
    ['four words and symbols', 'What is 2 + 3 ?'],
    ['a reply that opens with a spaced answer heading', `( Answer: 15)\n${Q}`],
  ])('is null for %s', (_, reply) => {
    expect(extractQuestion(reply)).toBeNull();
  });
});
