// The setup form's benchmark list: known test sets switched on and off, an address of one's own,
// or a file from disk, which is read here and kept in the browser for the worker to find.
import { benchmarkKey, type KnownBenchmark } from '../benchmarks/catalog';
import { parseBenchmark } from '../benchmarks/parse';
import type { CrescentDb } from '../db/schema';
import { withStorageErrors } from '../db/quota';
import type { BenchmarkSource, Decontamination } from '../recipe/types';

export function hasBenchmark(d: Decontamination, name: string): boolean {
  return d.benchmarks.some((b) => b.name === name);
}

export function withKnownBenchmark(
  d: Decontamination,
  known: KnownBenchmark,
  on: boolean,
): Decontamination {
  const others = d.benchmarks.filter((b) => b.name !== known.name);
  return { ...d, benchmarks: on ? [...others, { name: known.name, url: known.url }] : others };
}

export function withoutBenchmark(d: Decontamination, name: string): Decontamination {
  return { ...d, benchmarks: d.benchmarks.filter((b) => b.name !== name) };
}

/** Adds (or replaces, by name) one source; a problem with it is returned instead. */
export function withBenchmark(
  d: Decontamination,
  source: BenchmarkSource,
): { decontamination: Decontamination } | { problem: string } {
  const name = source.name.trim();
  if (name === '') return { problem: 'Give the benchmark a name.' };
  if (source.url !== undefined && !/^https?:\/\/\S+$/i.test(source.url.trim())) {
    return { problem: 'The address must start with http:// or https://.' };
  }
  const clean: BenchmarkSource =
    source.url === undefined ? { name } : { name, url: source.url.trim() };
  return {
    decontamination: {
      ...withoutBenchmark(d, name),
      benchmarks: [...withoutBenchmark(d, name).benchmarks, clean],
    },
  };
}

/** Reads a benchmark file and keeps it in this browser under its name; returns its size. */
export async function storeBenchmarkFile(
  db: CrescentDb,
  name: string,
  text: string,
  now = Date.now(),
): Promise<number> {
  const questions = parseBenchmark(text, name);
  const key = benchmarkKey({ name });
  await withStorageErrors(() => db.benchmarks.put({ key, name, questions, savedAt: now }));
  return questions.length;
}
