// nearest() over MiniLM-sized vectors (384 dims) at 1k, 10k and 100k stored questions,
// add() throughput, and what the unrolled dot product gains over the obvious loop.
import type { BenchRow } from '../scripts/bench';
import { createRandom } from '../src/lib/crescent/random';
import { VectorIndex } from '../src/lib/crescent/vectorIndex';

const DIM = 384;
const SIZES = [1_000, 10_000, 100_000];
const QUERIES = 15;

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

export default async function vectorIndexBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const largest = SIZES[SIZES.length - 1] ?? 0;
  const data = unitVectors(largest, 1);
  const queries = unitVectors(QUERIES, 2);

  const index = new VectorIndex(DIM);
  let addMs = 0;
  let nearestAtLargest = NaN;
  for (const size of SIZES) {
    const t = performance.now();
    for (let i = index.size; i < size; i++) index.add(data.subarray(i * DIM, (i + 1) * DIM));
    addMs += performance.now() - t;
    const { median, min } = timePerQuery(queries, (q) => index.nearest(q));
    nearestAtLargest = median;
    rows.push({
      name: `nearest() ${size.toLocaleString('en')} x ${DIM}`,
      value: median,
      unit: 'ms/query',
      note: `median of ${QUERIES}, min ${min.toPrecision(3)} ms; ${(size / median / 1e3).toFixed(2)}M vectors/s`,
    });
  }
  rows.push({
    name: `add() up to ${largest.toLocaleString('en')} x ${DIM}`,
    value: (largest / addMs) * 1000,
    unit: 'vectors/s',
    note: 'including buffer doubling',
  });
  rows.push({
    name: `topK(10) ${largest.toLocaleString('en')} x ${DIM}`,
    value: timePerQuery(queries, (q) => index.topK(q, 10)).median,
    unit: 'ms/query',
  });

  const simpleMs = timePerQuery(queries, (q) => simpleNearest(data, largest, q)).median;
  for (let i = 0; i < 3; i++) {
    const q = queries.subarray(i * DIM, (i + 1) * DIM);
    if (simpleNearest(data, largest, q) !== index.nearest(q)?.index) {
      throw new Error('the simple scan and the index disagree');
    }
  }
  rows.push({
    name: `simple loop / unrolled nearest() at ${largest.toLocaleString('en')}`,
    value: simpleMs / nearestAtLargest,
    unit: 'x',
    note: `simple loop ${simpleMs.toFixed(1)} ms/query`,
  });
  return rows;
}
