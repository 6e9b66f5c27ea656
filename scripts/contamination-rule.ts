// Measures the n-gram decontamination rule the way a run uses it: every GSM8K test question is
// indexed, and each question below is checked against all of them.
// - Recall: rewrites of GSM8K test questions from ../shared/evals/neardup_pairs.jsonl (GSM-Plus
//   perturbations and GSM-Hard's number swaps), per kind of rewrite.
// - False positives: questions that are not GSM8K test questions (the MATH level-5 problems of
//   ../shared/evals/answers.jsonl.gz), and pairs of different GSM8K problems checked one against the other.
// Run: npx tsx scripts/contamination-rule.ts [evals folder]
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BenchmarkNgrams } from '../src/lib/crescent/contamination';

const dir = process.argv[2] ?? '../shared/evals';
const lines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);

const gsm8k = (
  lines(readFileSync(`${dir}/gsm8k_test.jsonl`, 'utf8')) as { question: string }[]
).map((r) => r.question);
const pairs = lines(readFileSync(`${dir}/neardup_pairs.jsonl`, 'utf8')) as {
  a: string;
  b: string;
  label: string;
}[];
const math = [
  ...new Set(
    (
      lines(gunzipSync(readFileSync(`${dir}/answers.jsonl.gz`)).toString('utf8')) as {
        question_id: string;
        question: string;
      }[]
    )
      .filter((r) => r.question_id.startsWith('math-l5'))
      .map((r) => r.question),
  ),
];

const lengths = [5, 8, 10, 13];
const indexes = new Map(lengths.map((n) => [n, new BenchmarkNgrams(gsm8k, n)]));
const pct = (x: number, of: number): string => `${((100 * x) / of).toFixed(1)}%`;
const rate = (texts: string[], n: number): string =>
  pct(texts.filter((t) => indexes.get(n)?.match(t)).length, texts.length);
const row = (name: string, texts: string[]): void =>
  console.log(`| ${name} (${texts.length}) | ${lengths.map((n) => rate(texts, n)).join(' | ')} |`);

console.log(`Benchmark: GSM8K test, ${gsm8k.length} questions.\n`);
console.log(
  `| checked against GSM8K test (count) | ${lengths.map((n) => `${n}-grams`).join(' | ')} |`,
);
console.log(`|---|${lengths.map(() => '---:').join('|')}|`);
const rewrites = pairs.filter((p) => p.label !== 'different-problem');
for (const label of [...new Set(rewrites.map((p) => p.label))].sort()) {
  row(
    label,
    rewrites.filter((p) => p.label === label).map((p) => p.b),
  );
}
row(
  '**every rewrite: recall**',
  rewrites.map((p) => p.b),
);
row('**MATH level-5 problems: flagged**', math);

const others = pairs.filter((p) => p.label === 'different-problem');
const flagged = (n: number): number =>
  others.filter((p) => new BenchmarkNgrams([p.a], n).match(p.b) !== null).length;
console.log(
  `| **different GSM8K problems, one against the other: flagged** (${others.length}) | ${lengths
    .map((n) => pct(flagged(n), others.length))
    .join(' | ')} |`,
);
