// The prompts of the Crescent paper's released code, kept as data, plus a custom domain.

export interface DomainPreset {
  id: string;
  label: string;
  /** Sent again and again as the only user message, with no system prompt. */
  baitPrompt: string;
  /** `{new}` and `{nearest}` are replaced by the rejected and the nearest accepted question. */
  rewriteTemplate: string;
  /** Appended to an accepted question to ask for a worked answer. */
  answerSuffix: string;
}

export const PAPER_REWRITE_TEMPLATE =
  'This following generated math question:{new} is very similar to this question: {nearest}. Please modify it to make it different.';

const PAPER_ANSWER_SUFFIX =
  ' Please think step by step and provide a detailed explanation. Please provide the answer figure in the end of the response: \n\n#### Answer: ';

export const MATH_LLAMA3: DomainPreset = {
  id: 'math-llama3',
  label: 'High-school math word problems (paper, Llama-3 prompt)',
  baitPrompt:
    'Use your creativity, create one unique, special, diverse, high school level math word problem. Please provide only the problem, no any other words. \n\nProblem: ',
  rewriteTemplate: PAPER_REWRITE_TEMPLATE,
  answerSuffix: PAPER_ANSWER_SUFFIX,
};

export const MATH_LLAMA2: DomainPreset = {
  id: 'math-llama2',
  label: 'Math word problems (paper, Llama-2 prompt)',
  baitPrompt:
    'Use your creativity, create one unique math word problem. Please provide only the problem, no any other words. \n\nProblem: ',
  rewriteTemplate: PAPER_REWRITE_TEMPLATE,
  answerSuffix: PAPER_ANSWER_SUFFIX,
};

export const DOMAIN_PRESETS: readonly DomainPreset[] = [MATH_LLAMA3, MATH_LLAMA2];

/** A user-written domain keeps the paper's rewrite and answer prompts unless given its own. */
export function customDomain(
  baitPrompt: string,
  overrides: Partial<Omit<DomainPreset, 'baitPrompt'>> = {},
): DomainPreset {
  return {
    id: overrides.id ?? 'custom',
    label: overrides.label ?? 'Custom domain',
    baitPrompt,
    rewriteTemplate: overrides.rewriteTemplate ?? PAPER_REWRITE_TEMPLATE,
    answerSuffix: overrides.answerSuffix ?? PAPER_ANSWER_SUFFIX,
  };
}

export function rewritePrompt(template: string, rejected: string, nearest: string): string {
  // Replace via callbacks so `$` in a question is never read as a replacement pattern.
  return template.replace('{new}', () => rejected).replace('{nearest}', () => nearest);
}

export function answerPrompt(question: string, suffix: string): string {
  return question + suffix;
}
