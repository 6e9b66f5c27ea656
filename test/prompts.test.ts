import { describe, expect, it } from 'vitest';
import {
  DOMAIN_PRESETS,
  MATH_LLAMA2,
  MATH_LLAMA3,
  PAPER_REWRITE_TEMPLATE,
  answerPrompt,
  customDomain,
  rewritePrompt,
} from '../src/lib/crescent/prompts';

// The paper's prompts, word for word as DESIGN.md quotes them.
const LLAMA3_BAIT =
  'Use your creativity, create one unique, special, diverse, high school level math word problem. Please provide only the problem, no any other words. \n\nProblem: ';
const LLAMA2_BAIT =
  'Use your creativity, create one unique math word problem. Please provide only the problem, no any other words. \n\nProblem: ';
const REWRITE =
  'This following generated math question:{new} is very similar to this question: {nearest}. Please modify it to make it different.';
const ANSWER_SUFFIX =
  ' Please think step by step and provide a detailed explanation. Please provide the answer figure in the end of the response: \n\n#### Answer: ';

describe('the paper presets', () => {
  it('keeps the Llama-3 bait, rewrite and answer prompts word for word', () => {
    expect(MATH_LLAMA3).toEqual({
      id: 'math-llama3',
      label: 'High-school math word problems (paper, Llama-3 prompt)',
      baitPrompt: LLAMA3_BAIT,
      rewriteTemplate: REWRITE,
      answerSuffix: ANSWER_SUFFIX,
    });
  });

  it('keeps the Llama-2 bait prompt word for word', () => {
    expect(MATH_LLAMA2).toEqual({
      id: 'math-llama2',
      label: 'Math word problems (paper, Llama-2 prompt)',
      baitPrompt: LLAMA2_BAIT,
      rewriteTemplate: REWRITE,
      answerSuffix: ANSWER_SUFFIX,
    });
    expect(PAPER_REWRITE_TEMPLATE).toBe(REWRITE);
  });

  it('offers both presets, Llama-3 first', () => {
    expect(DOMAIN_PRESETS.map((p) => p.id)).toEqual(['math-llama3', 'math-llama2']);
  });
});

describe('customDomain', () => {
  it("keeps the paper's rewrite and answer prompts unless given its own", () => {
    expect(customDomain('Write one physics problem.')).toEqual({
      id: 'custom',
      label: 'Custom domain',
      baitPrompt: 'Write one physics problem.',
      rewriteTemplate: REWRITE,
      answerSuffix: ANSWER_SUFFIX,
    });
  });

  it('takes every override it is given', () => {
    expect(
      customDomain('Bait', {
        id: 'physics',
        label: 'Physics',
        rewriteTemplate: 'Make {new} unlike {nearest}.',
        answerSuffix: ' Answer:',
      }),
    ).toEqual({
      id: 'physics',
      label: 'Physics',
      baitPrompt: 'Bait',
      rewriteTemplate: 'Make {new} unlike {nearest}.',
      answerSuffix: ' Answer:',
    });
  });
});

describe('rewritePrompt and answerPrompt', () => {
  it('puts the rejected question first and the nearest second', () => {
    expect(rewritePrompt(REWRITE, 'Q1 costs $5?', 'Q2 costs $&?')).toBe(
      'This following generated math question:Q1 costs $5? is very similar to this question: Q2 costs $&?. Please modify it to make it different.',
    );
  });

  it('appends the suffix to the question', () => {
    expect(answerPrompt('What is 2+2?', ANSWER_SUFFIX)).toBe(`What is 2+2?${ANSWER_SUFFIX}`);
  });
});
