// Decontamination after the fact, from the Export screen: the selected runs' pairs (imported ones
// too) checked against chosen benchmarks by the n-gram rule, flags stored on the pairs.
import { KNOWN_BENCHMARKS, benchmarkKey } from '../benchmarks/catalog';
import { loadBenchmarks } from '../benchmarks/load';
import { DEFAULT_CONTAMINATION_RULE } from '../crescent/contamination';
import { CrescentError, toErrorInfo, type ErrorInfo } from '../crescent/errors';
import { benchmarkCache, storedBenchmarks } from '../db/benchmarks';
import { checkRunsForContamination, type ContaminationCheckResult } from '../db/contamination';
import type { CrescentDb } from '../db/schema';
import type { BenchmarkSource } from '../recipe/types';

export interface BenchmarkOption {
  source: BenchmarkSource;
  label: string;
}

export class ContaminationChecker {
  readonly #db: CrescentDb;
  readonly #runIds: () => string[];
  /** Names of the benchmarks to check against. */
  chosen = $state<string[]>([KNOWN_BENCHMARKS[0]?.name ?? 'gsm8k-test']);
  ngram = $state(DEFAULT_CONTAMINATION_RULE.ngram);
  #files = $state.raw<BenchmarkOption[]>([]);
  #working = $state(false);
  #result = $state.raw<ContaminationCheckResult | null>(null);
  #error = $state.raw<ErrorInfo | null>(null);

  constructor(db: CrescentDb, runIds: () => string[]) {
    this.#db = db;
    this.#runIds = runIds;
  }

  /** The known test sets, then the files loaded into this browser. */
  get options(): BenchmarkOption[] {
    return [
      ...KNOWN_BENCHMARKS.map((b) => ({
        source: { name: b.name, url: b.url },
        label: `${b.label} (${b.questions.toLocaleString('en')})`,
      })),
      ...this.#files,
    ];
  }
  get working(): boolean {
    return this.#working;
  }
  get result(): ContaminationCheckResult | null {
    return this.#result;
  }
  get error(): ErrorInfo | null {
    return this.#error;
  }

  /** Reads which benchmark files this browser keeps (loaded in Setup). */
  async refreshFiles(): Promise<void> {
    const known = KNOWN_BENCHMARKS.map((b) => benchmarkKey(b));
    const rows = await storedBenchmarks(this.#db);
    this.#files = rows
      .filter((r) => !known.includes(r.key) && r.key.startsWith('file:'))
      .map((r) => ({
        source: { name: r.name },
        label: `${r.name} (${r.questions.toLocaleString('en')}, from a file)`,
      }));
  }

  async check(): Promise<void> {
    const ids = this.#runIds();
    if (ids.length === 0 || this.#working) return;
    this.#working = true;
    this.#error = null;
    this.#result = null;
    try {
      const sources = this.options.map((o) => o.source).filter((s) => this.chosen.includes(s.name));
      if (sources.length === 0 || !Number.isInteger(this.ngram) || this.ngram < 1) {
        throw new CrescentError({
          code: 'invalid-recipe',
          message: 'Choose at least one benchmark and an n-gram length of 1 or more.',
        });
      }
      const benchmarks = await loadBenchmarks(sources, {
        cache: benchmarkCache(this.#db),
        rule: { ngram: this.ngram, similarity: 1 },
      });
      this.#result = await checkRunsForContamination(this.#db, ids, benchmarks, this.ngram);
    } catch (error) {
      this.#error = toErrorInfo(error);
    } finally {
      this.#working = false;
    }
  }
}
