// Benchmarks kept in IndexedDB, so each is downloaded and embedded once per browser.
import type { BenchmarkCache, StoredBenchmark } from '../benchmarks/load';
import { withStorageErrors } from './quota';
import type { CrescentDb } from './schema';

export function benchmarkCache(db: CrescentDb): BenchmarkCache {
  return {
    get: (key) => withStorageErrors(() => db.benchmarks.get(key)),
    put: async (benchmark: StoredBenchmark) => {
      await withStorageErrors(() => db.benchmarks.put(benchmark));
    },
  };
}
