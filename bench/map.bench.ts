// The map of questions at 20k MiniLM-sized embeddings: the PCA fit the worker runs (on clustered
// rows, as real questions are, and on structureless ones, its slowest case), packing the rows,
// fitting them to the screen, building the hover grid and one hover look-up.
import type { BenchRow } from '../scripts/bench';
import { createRandom } from '../src/lib/crescent/random';
import type { QuestionRecord } from '../src/lib/crescent/types';
import { PointGrid, fitToBox, stepToward } from '../src/lib/map/layout';
import { mapInput, packRows } from '../src/lib/map/mapPoints';
import { pca2 } from '../src/lib/map/pca';
import { MAP_FIT } from '../src/lib/map/projector';

const DIM = 384;
const N = 20_000;

function rows(clusters: number, seed: number): Float32Array[] {
  const random = createRandom(seed);
  const centres = Array.from({ length: clusters }, () =>
    Float32Array.from({ length: DIM }, () => random.next() - 0.5),
  );
  return Array.from({ length: N }, (_, i) => {
    const centre = centres[i % clusters];
    return Float32Array.from({ length: DIM }, (_, j) =>
      centre ? centre[j]! + (random.next() - 0.5) * 0.3 : random.next() - 0.5,
    );
  });
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Mean squared length of the centred rows along the two axes. */
function capturedShare(data: Float32Array, axes: [Float64Array, Float64Array]): number {
  const mean = new Float64Array(DIM);
  for (let r = 0; r < N; r++) for (let i = 0; i < DIM; i++) mean[i]! += data[r * DIM + i]! / N;
  let sum = 0;
  for (let r = 0; r < N; r++) {
    for (const axis of axes) {
      let p = 0;
      for (let i = 0; i < DIM; i++) p += (data[r * DIM + i]! - mean[i]!) * axis[i]!;
      sum += p * p;
    }
  }
  return sum / N;
}

export default async function bench(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const [label, clusters] of [
    ['12 clusters', 12],
    ['no structure', 0],
  ] as const) {
    const embeddings = rows(clusters, 3);
    const questions: QuestionRecord[] = embeddings.map((embedding, seq) => ({
      runId: 'r',
      seq,
      origin: 'bait',
      attempt: 0,
      raw: '',
      text: `q${seq}`,
      status: 'accepted',
      embedding,
      tokens: 0,
      createdAt: seq,
    }));
    const input = mapInput(questions, []);
    const data = packRows(input);
    // The tight fit is the reference, slow by design: one timed run, kept for the comparisons.
    const started = performance.now();
    const best = pca2(data, N, DIM);
    out.push({
      name: `PCA, all rows, tight, ${label}`,
      value: performance.now() - started,
      unit: 'ms',
      note: `${best.iterations} iterations, one run`,
    });
    let quick = pca2(data, N, DIM, MAP_FIT);
    const mapFit = time(3, () => {
      quick = pca2(data, N, DIM, MAP_FIT);
    });
    out.push({
      name: `PCA, map settings, ${label}`,
      value: mapFit,
      unit: 'ms',
      note: `${quick.iterations} iterations`,
    });
    // How much of the best two axes' variance over all rows the map's axes hold.
    out.push({
      name: `variance held, map vs tight, ${label}`,
      value: capturedShare(data, quick.axes) / capturedShare(data, best.axes),
      unit: 'ratio',
    });
    if (clusters > 0) {
      out.push({
        name: 'mapInput over 20k records',
        value: time(5, () => mapInput(questions, [])),
        unit: 'ms',
      });
      out.push({ name: 'packRows, 20k x 384', value: time(5, () => packRows(input)), unit: 'ms' });
      const coords = best.coords;
      out.push({
        name: 'fitToBox, 20k points',
        value: time(20, () => fitToBox(coords, 960, 440, 10)),
        unit: 'ms',
      });
      const xy = fitToBox(coords, 960, 440, 10);
      out.push({
        name: 'PointGrid build, 20k points',
        value: time(20, () => new PointGrid(xy, 16)),
        unit: 'ms',
      });
      const grid = new PointGrid(xy, 16);
      const random = createRandom(9);
      const hover = time(200, () => grid.nearest(random.next() * 960, random.next() * 440, 10));
      out.push({ name: 'hover look-up, 20k points', value: hover * 1000, unit: 'µs' });
      out.push({
        name: 'arrow-key step, 20k points',
        value: time(50, () => stepToward(xy, 7, 1, 0)),
        unit: 'ms',
      });
    }
  }
  return out;
}
