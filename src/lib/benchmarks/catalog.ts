// The public test sets a run can keep away from, where they are published, and the recommended one.
import type { BenchmarkSource } from '../recipe/types';

export interface KnownBenchmark extends Required<BenchmarkSource> {
  label: string;
  questions: number;
}

export const GSM8K_TEST: KnownBenchmark = {
  name: 'gsm8k-test',
  label: 'GSM8K test',
  questions: 1319,
  url: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
};

const MATH_500: KnownBenchmark = {
  name: 'math-500',
  label: 'MATH-500',
  questions: 500,
  url: 'https://huggingface.co/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl',
};

export const KNOWN_BENCHMARKS: readonly KnownBenchmark[] = [GSM8K_TEST, MATH_500];

/** Where a benchmark is kept in this browser: its URL, or its name for a file the user loaded. */
export function benchmarkKey(source: BenchmarkSource): string {
  return source.url ?? `file:${source.name}`;
}
