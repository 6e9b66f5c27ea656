// nearest() and nearestMany() over MiniLM-sized vectors (384 dims) at 1k, 10k and 100k stored
// questions, with the WebAssembly kernel and the JS fallback, beside the machine's memory copy
// speed; add() throughput, and what the unrolled dot product gains over the obvious loop.
import type { BenchRow } from '../scripts/bench';
import { createRandom } from '../src/lib/crescent/random';
import { VectorIndex } from '../src/lib/crescent/vectorIndex';
import type { WasmRows } from '../src/lib/crescent/vectorScan';

const DIM = 384;
const SIZES = [1_000, 10_000, 100_000];
const QUERIES = 15;
const BATCH = 16;
const BATCH_RUNS = 7;

/** `count` random unit vectors packed row after row. */
function unitVectors(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const data = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) {
    const row = data.subarray(i * DIM, (i + 1) * DIM);
    let norm = 0;
    for (let j = 0; j < DIM; j++) {
      const x = random.next() * 2 - 1;
      row[j] = x;
      norm += x * x;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < DIM; j++) row[j] = (row[j] ?? 0) * scale;
  }
  return data;
}

interface Timing {
  median: number;
  /** The fastest query: what the machine does when nothing else competes for it. */
  min: number;
}

/** Milliseconds per call of `run(query)` over the queries, after one warm-up. */
function timePerQuery(queries: Float32Array, run: (q: Float32Array) => unknown): Timing {
  run(queries.subarray(0, DIM));
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const q = queries.subarray(i * DIM, (i + 1) * DIM);
    const t = performance.now();
    run(q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] ?? NaN, min: times[0] ?? NaN };
}

/** Median and fastest milliseconds of `run()` over a few runs, after one warm-up. */
function timeRuns(runs: number, run: () => unknown): Timing {
  run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] ?? NaN, min: times[0] ?? NaN };
}

/** GB/s of TypedArray.prototype.set copying `bytes` (bytes copied per second, not read plus written). */
function copySpeed(bytes: number): number {
  const from = new Float32Array(bytes / 4).fill(1);
  const to = new Float32Array(bytes / 4);
  return bytes / timeRuns(5, () => to.set(from)).median / 1e6;
}

/** The obvious scan: one accumulator, no unrolling. */
function simpleNearest(data: Float32Array, count: number, q: Float32Array): number {
  let best = -1;
  let bestSimilarity = -Infinity;
  for (let i = 0; i < count; i++) {
    const offset = i * DIM;
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (data[offset + j] ?? 0) * (q[j] ?? 0);
    if (s > bestSimilarity) {
      best = i;
      bestSimilarity = s;
    }
  }
  return best;
}

/** The kernel inside the index, to time it with its estimate turned off. */
function kernelOf(index: VectorIndex): WasmRows {
  return (index as unknown as { kernel: WasmRows }).kernel;
}

export default async function vectorIndexBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const largest = SIZES[SIZES.length - 1] ?? 0;
  const data = unitVectors(largest, 1);
  const queries = unitVectors(QUERIES, 2);

  const batchData = unitVectors(BATCH, 3);
  const batch = Array.from({ length: BATCH }, (_, k) => batchData.subarray(k * DIM, (k + 1) * DIM));
  const index = new VectorIndex(DIM);
  const fallback = new VectorIndex(DIM, 64, { wasm: false });
  if (!index.usesWasm) throw new Error('no WebAssembly SIMD: the bench measures the kernel');
  let addMs = 0;
  let nearestAtLargest = NaN;
  for (const size of SIZES) {
    const t = performance.now();
    for (let i = index.size; i < size; i++) index.add(data.subarray(i * DIM, (i + 1) * DIM));
    addMs += performance.now() - t;
    for (let i = fallback.size; i < size; i++) fallback.add(data.subarray(i * DIM, (i + 1) * DIM));
    const label = `${size.toLocaleString('en')} x ${DIM}`;
    const scanned = size * DIM * 4;

    const many = timeRuns(BATCH_RUNS, () => index.nearestMany(batch));
    if (JSON.stringify(index.nearestMany(batch)) !== JSON.stringify(fallback.nearestMany(batch))) {
      throw new Error('the kernel and the JS scan disagree');
    }
    rows.push({
      name: `nearestMany(${BATCH}) ${label}`,
      value: many.median,
      unit: 'ms/batch',
      note: `median of ${BATCH_RUNS}, min ${many.min.toPrecision(3)} ms; ${((scanned * BATCH) / many.median / 1e6).toFixed(1)} GB/s of float32 rows answered`,
    });
    const one = timePerQuery(queries, (q) => index.nearest(q));
    rows.push({
      name: `nearest() ${label}`,
      value: one.median,
      unit: 'ms/query',
      note: `median of ${QUERIES}, min ${one.min.toPrecision(3)} ms; ${(scanned / one.median / 1e6).toFixed(1)} GB/s of float32 rows answered`,
    });
    const js = timePerQuery(queries, (q) => fallback.nearest(q));
    nearestAtLargest = js.median;
    rows.push({
      name: `nearest() JS fallback ${label}`,
      value: js.median,
      unit: 'ms/query',
      note: `median of ${QUERIES}, min ${js.min.toPrecision(3)} ms; ${(scanned / js.median / 1e6).toFixed(2)} GB/s`,
    });
  }
  const exactOnly = timeRuns(3, () => kernelOf(index).nearestMany(batch, largest, false));
  rows.push({
    name: `nearestMany(${BATCH}) without the int16 estimate`,
    value: exactOnly.median,
    unit: 'ms/batch',
    note: 'every row in float64 SIMD: what the estimate saves',
  });
  rows.push({
    name: `memory copy, ${((largest * DIM * 4) / 2 ** 20).toFixed(0)} MiB`,
    value: copySpeed(largest * DIM * 4),
    unit: 'GB/s',
    note: 'TypedArray.prototype.set, the same bytes as the float32 rows',
  });
  rows.push({
    name: `add() up to ${largest.toLocaleString('en')} x ${DIM}`,
    value: (largest / addMs) * 1000,
    unit: 'vectors/s',
    note: 'including buffer doubling',
  });
  rows.push({
    name: `topK(10) ${largest.toLocaleString('en')} x ${DIM}`,
    value: timePerQuery(queries, (q) => fallback.topK(q, 10)).median,
    unit: 'ms/query',
  });

  const simpleMs = timePerQuery(queries, (q) => simpleNearest(data, largest, q)).median;
  for (let i = 0; i < 3; i++) {
    const q = queries.subarray(i * DIM, (i + 1) * DIM);
    if (simpleNearest(data, largest, q) !== fallback.nearest(q)?.index) {
      throw new Error('the simple scan and the index disagree');
    }
  }
  rows.push({
    name: `simple loop / unrolled JS nearest() at ${largest.toLocaleString('en')}`,
    value: simpleMs / nearestAtLargest,
    unit: 'x',
    note: `simple loop ${simpleMs.toFixed(1)} ms/query`,
  });
  return rows;
}
