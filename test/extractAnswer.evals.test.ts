// Agreement with gold on ~29k published completions (GSM8K and MATH level 5), read from
// ../shared/evals beside the checkout. A completion can itself be wrong, so these are agreement
// rates, not extraction accuracy; the thresholds sit just under what the rules measured.
import { describe, expect, it } from 'vitest';
import {
  EVALS_PATH,
  loadEvalRows,
  measureAgreement,
  type Agreement,
} from '../scripts/eval-extraction';

const rows = loadEvalRows();
const report = rows === null ? null : measureAgreement(rows);
const title =
  rows === null
    ? `answer extraction on real completions (skipped: no data at ${EVALS_PATH})`
    : 'answer extraction on real completions';

function rate(a: Agreement | undefined, rule: 'robust' | 'paper'): number {
  return a === undefined || a.rows === 0 ? 0 : a[rule] / a.rows;
}

describe.skipIf(report === null)(title, () => {
  it('reads the whole file', () => {
    expect(report?.gsm8k.rows).toBe(28_674);
    expect(report?.math.rows).toBe(721);
  });

  it('agrees with GSM8K gold on at least 59% of completions with the robust rule', () => {
    expect(rate(report?.gsm8k, 'robust')).toBeGreaterThanOrEqual(0.59);
  });

  it('agrees with GSM8K gold on at least 58% of completions with the paper rule', () => {
    expect(rate(report?.gsm8k, 'paper')).toBeGreaterThanOrEqual(0.58);
  });

  it('agrees with GSM8K gold more often with the robust rule than with the paper rule', () => {
    expect(rate(report?.gsm8k, 'robust')).toBeGreaterThan(rate(report?.gsm8k, 'paper'));
  });

  it.each([
    ['gpt-4o-mini-2024-07-18', 0.93],
    ['llm-agents/tora-70b-v1.0', 0.835],
    ['anthropic/claude-3-haiku-20240307', 0.88],
    ['gpt-3.5-turbo', 0.74],
    ['meta-llama/Llama-3.1-8B-Instruct', 0.855],
  ])('reads boxed, JSON and marked answers of %s (robust >= %f)', (model, threshold) => {
    const agreement = report?.byModel.get(model);
    expect(rate(agreement, 'robust')).toBeGreaterThanOrEqual(threshold);
    expect(rate(agreement, 'robust')).toBeGreaterThanOrEqual(rate(agreement, 'paper'));
  });

  it('agrees with MATH level-5 gold on at least 13.5% of completions with the robust rule', () => {
    expect(rate(report?.math, 'robust')).toBeGreaterThanOrEqual(0.135);
  });
});
