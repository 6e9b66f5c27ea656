import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pca2 } from '../src/lib/map/pca';
import { createRandom } from '../src/lib/crescent/random';

const mulberry32 = (seed: number) => {
  const r = createRandom(seed);
  return () => r.next();
};

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function unit(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Rows spread sd1 along u, sd2 along w and `noise` in every direction, around `centre`. */
function cloud(
  n: number,
  dim: number,
  u: number[],
  w: number[],
  sd1: number,
  sd2: number,
  noise: number,
  seed = 1,
  centre: number[] = Array.from({ length: dim }, () => 0),
): Float32Array {
  const rand = mulberry32(seed);
  const data = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const s = gaussian(rand) * sd1;
    const t = gaussian(rand) * sd2;
    for (let i = 0; i < dim; i++) {
      data[r * dim + i] = centre[i]! + s * u[i]! + t * w[i]! + gaussian(rand) * noise;
    }
  }
  return data;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('pca2', () => {
  const dim = 24;
  const u = unit(Array.from({ length: dim }, (_, i) => Math.sin(i + 1)));
  // w: orthogonal to u.
  const raw = Array.from({ length: dim }, (_, i) => Math.cos(3 * i));
  const w = unit(raw.map((x, i) => x - dot(raw, u) * u[i]!));

  it('finds the two directions the rows spread along, the wider first', () => {
    const data = cloud(2000, dim, u, w, 5, 2, 0.1);
    const fit = pca2(data, 2000, dim);
    expect(Math.abs(dot(fit.axes[0], u))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(fit.axes[1], w))).toBeGreaterThan(0.999);
    expect(fit.variance[0]).toBeGreaterThan(fit.variance[1]);
    // The sample's own spread along u and w: the fitted axes hold at least as much, and about that.
    const along = (v: number[]) => {
      let sum = 0;
      let sq = 0;
      for (let r = 0; r < 2000; r++) {
        const p = dot(data.subarray(r * dim, (r + 1) * dim), v);
        sum += p;
        sq += p * p;
      }
      return sq / 2000 - (sum / 2000) ** 2;
    };
    expect(fit.variance[0]).toBeGreaterThanOrEqual(along(u) - 1e-6);
    expect(fit.variance[0] / along(u)).toBeCloseTo(1, 2);
    expect(fit.variance[1] / along(w)).toBeCloseTo(1, 1);
    let total = 0;
    for (let i = 0; i < dim; i++) {
      const e = Array.from({ length: dim }, (_, j) => (j === i ? 1 : 0));
      total += along(e);
    }
    expect(fit.explained[0]).toBeCloseTo(fit.variance[0] / total, 6);
    expect(fit.explained[1]).toBeCloseTo(fit.variance[1] / total, 6);
    expect(fit.explained[0] + fit.explained[1]).toBeLessThanOrEqual(1);
  });

  it('orders the axes by variance even when the second is given as the wider', () => {
    const data = cloud(1500, dim, w, u, 6, 1, 0.05, 7);
    const fit = pca2(data, 1500, dim);
    expect(Math.abs(dot(fit.axes[0], w))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(fit.axes[1], u))).toBeGreaterThan(0.999);
  });

  it('returns orthonormal axes and coordinates that are the centred rows on them', () => {
    const centre = Array.from({ length: dim }, (_, i) => 3 + i / 10);
    const n = 300;
    const data = cloud(n, dim, u, w, 2, 1, 0.3, 3, centre);
    const fit = pca2(data, n, dim);
    const [a, b] = fit.axes;
    expect(dot(a, a)).toBeCloseTo(1, 9);
    expect(dot(b, b)).toBeCloseTo(1, 9);
    expect(dot(a, b)).toBeCloseTo(0, 9);
    for (let i = 0; i < dim; i++) expect(fit.mean[i]).toBeCloseTo(centre[i]!, 0);
    for (const r of [0, 17, n - 1]) {
      const row = data.subarray(r * dim, (r + 1) * dim);
      const centred = Array.from(row, (x, i) => x - fit.mean[i]!);
      expect(fit.coords[2 * r]).toBeCloseTo(dot(centred, a), 4);
      expect(fit.coords[2 * r + 1]).toBeCloseTo(dot(centred, b), 4);
    }
    // Coordinates are centred: their means are 0 and their variances are the axes' variances.
    let mx = 0;
    let vx = 0;
    for (let r = 0; r < n; r++) mx += fit.coords[2 * r]!;
    for (let r = 0; r < n; r++) vx += fit.coords[2 * r]! ** 2;
    expect(mx / n).toBeCloseTo(0, 4);
    expect(vx / n).toBeCloseTo(fit.variance[0], 3);
  });

  it('is deterministic and turns each axis so its largest loading is positive', () => {
    const data = cloud(500, dim, u, w, 3, 1, 0.2, 11);
    const one = pca2(data, 500, dim);
    const two = pca2(data, 500, dim);
    expect(Array.from(one.coords)).toEqual(Array.from(two.coords));
    for (const axis of one.axes) {
      const largest = Array.from(axis).reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('keeps the sides of an earlier fit when given its axes', () => {
    const data = cloud(500, dim, u, w, 3, 1, 0.2, 5);
    const first = pca2(data, 500, dim);
    const flipped: [Float64Array, Float64Array] = [
      first.axes[0].map((x) => -x),
      first.axes[1].map((x) => -x),
    ];
    const again = pca2(data, 500, dim, { previousAxes: flipped });
    expect(dot(again.axes[0], first.axes[0])).toBeCloseTo(-1, 6);
    expect(dot(again.axes[1], first.axes[1])).toBeCloseTo(-1, 6);
    expect(again.coords[0]).toBeCloseTo(-first.coords[0]!, 4);
    // Only the sign is taken from the earlier axes: one already pointing the same way stays.
    const same = pca2(data, 500, dim, { previousAxes: first.axes });
    expect(Array.from(same.coords)).toEqual(Array.from(first.coords));
  });

  it('stops early once the axes stop turning, and obeys the iteration cap', () => {
    const data = cloud(800, dim, u, w, 5, 1, 0.1, 2);
    const fit = pca2(data, 800, dim);
    expect(fit.iterations).toBeGreaterThan(1);
    expect(fit.iterations).toBeLessThan(200);
    const capped = pca2(data, 800, dim, { maxIterations: 1 });
    expect(capped.iterations).toBe(1);
    // Even one step plus the final Ritz step lands near the wide direction for such a clear spread.
    expect(Math.abs(dot(capped.axes[0], u))).toBeGreaterThan(0.9);
  });

  it('fits the axes on an even sample when asked and still places every row', () => {
    const n = 3000;
    const data = cloud(n, dim, u, w, 5, 2, 0.1, 21);
    const sampled = pca2(data, n, dim, { fitRows: 300 });
    expect(sampled.coords).toHaveLength(2 * n);
    expect(Math.abs(dot(sampled.axes[0], u))).toBeGreaterThan(0.99);
    expect(Math.abs(dot(sampled.axes[1], w))).toBeGreaterThan(0.99);
    // Its mean is that of the sample, not of all rows: the first row is in it, others are skipped.
    let sampleMean = 0;
    for (let k = 0; k < 300; k++) sampleMean += data[Math.floor((k * n) / 300) * dim]! / 300;
    expect(sampled.mean[0]).toBeCloseTo(sampleMean, 9);
    const last = data.subarray((n - 1) * dim, n * dim);
    const centred = Array.from(last, (x, i) => x - sampled.mean[i]!);
    expect(sampled.coords[2 * n - 2]).toBeCloseTo(dot(centred, sampled.axes[0]), 4);
    // Asking for at least as many rows as there are fits them all.
    expect(Array.from(pca2(data, n, dim, { fitRows: n }).coords)).toEqual(
      Array.from(pca2(data, n, dim).coords),
    );
  });

  it('draws nothing from nothing: no rows, one row, identical rows', () => {
    const none = pca2(new Float32Array(0), 0, 4);
    expect(none.coords.length).toBe(0);
    expect(none.explained).toEqual([0, 0]);
    const one = pca2(Float32Array.from([1, 2, 3]), 1, 3);
    expect(Array.from(one.coords)).toEqual([0, 0]);
    const same = pca2(Float32Array.from([1, 2, 1, 2, 1, 2]), 3, 2);
    expect(Array.from(same.coords)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(same.variance).toEqual([0, 0]);
    expect(same.iterations).toBe(0);
    for (const fit of [none, one, same]) {
      expect(dot(fit.axes[0], fit.axes[0])).toBeCloseTo(1, 9);
      expect(dot(fit.axes[0], fit.axes[1])).toBeCloseTo(0, 9);
    }
  });

  it('handles rows that span a single line: the second axis holds no variance', () => {
    const rows = [0, 1, 2, 3, 4].flatMap((t) => [t, 2 * t, 0]);
    const fit = pca2(Float32Array.from(rows), 5, 3);
    expect(Math.abs(fit.axes[0][0]! * 1 + fit.axes[0][1]! * 2) / Math.sqrt(5)).toBeCloseTo(1, 6);
    expect(fit.variance[1]).toBeCloseTo(0, 9);
    expect(fit.explained[0]).toBeCloseTo(1, 6);
    for (let r = 0; r < 5; r++) expect(fit.coords[2 * r + 1]).toBeCloseTo(0, 5);
  });

  it('refuses a shape the data cannot hold', () => {
    expect(() => pca2(new Float32Array(5), 2, 3)).toThrow(/5 numbers for 2 rows of 3/);
    expect(() => pca2(new Float32Array(0), -1, 3)).toThrow(RangeError);
    expect(() => pca2(new Float32Array(0), 0, 0)).toThrow(RangeError);
    expect(() => pca2(new Float32Array(4), 1.5, 2)).toThrow(RangeError);
  });

  it('captures at least as much variance as any other pair of orthogonal directions (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 3, max: 8 }),
        (seed, d) => {
          const rand = mulberry32(seed);
          const n = 40;
          const data = new Float32Array(n * d);
          const scales = Array.from({ length: d }, () => 0.2 + 3 * rand());
          for (let i = 0; i < data.length; i++) data[i] = gaussian(rand) * scales[i % d]!;
          const fit = pca2(data, n, d, { tolerance: 1e-12, maxIterations: 2000 });
          const captured = (x: ArrayLike<number>, y: ArrayLike<number>) => {
            let s = 0;
            for (let r = 0; r < n; r++) {
              const row = Array.from(data.subarray(r * d, (r + 1) * d), (v, i) => v - fit.mean[i]!);
              s += dot(row, x) ** 2 + dot(row, y) ** 2;
            }
            return s / n;
          };
          const best = fit.variance[0] + fit.variance[1];
          expect(captured(fit.axes[0], fit.axes[1])).toBeCloseTo(best, 4);
          // Random orthonormal pairs never capture more.
          for (let trial = 0; trial < 5; trial++) {
            const x = unit(Array.from({ length: d }, () => gaussian(rand)));
            const y0 = Array.from({ length: d }, () => gaussian(rand));
            const y = unit(y0.map((v, i) => v - dot(y0, x) * x[i]!));
            expect(captured(x, y)).toBeLessThanOrEqual(best + 1e-6);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
