// Principal component analysis down to two axes, for the map of question embeddings.
// Orthogonal (subspace) iteration on the covariance, applied without ever forming it: each step
// costs two passes over the rows (n * dim * 4 flops), where forming a dim x dim covariance would
// cost n * dim^2. A Rayleigh-Ritz step inside the two-axis subspace keeps the axes ordered by the
// variance they hold. Pure and deterministic: the same rows give the same map.

export interface PcaOptions {
  /** Most iterations before giving up on a tighter fit. */
  maxIterations?: number;
  /** Stop once neither axis turns by more than this (1 - |cos| between two steps). */
  tolerance?: number;
  /**
   * Fit the axes on at most this many rows, taken evenly through the data, and place every row on
   * them: the axes of a large set are well estimated from a few thousand of its rows.
   */
  fitRows?: number;
  /** Axes of an earlier fit: an axis that points the other way is flipped, so a redrawn map keeps its sides. */
  previousAxes?: readonly [ArrayLike<number>, ArrayLike<number>];
}

export interface PcaResult {
  /** x0, y0, x1, y1, ...: each row's coordinates on the two axes, centred on the (fitted rows') mean. */
  coords: Float32Array;
  axes: [Float64Array, Float64Array];
  mean: Float64Array;
  /** Variance along each axis (of the rows the axes were fitted on). */
  variance: [number, number];
  /** Share of the rows' total variance the two axes hold, each (0 when there is none). */
  explained: [number, number];
  iterations: number;
}

const TINY = 1e-12;

function dot(a: ArrayLike<number>, b: ArrayLike<number>, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Scales v to unit length in place; false when it has none to scale. */
function normalise(v: Float64Array): boolean {
  const norm = Math.sqrt(dot(v, v, v.length));
  if (norm < TINY) return false;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return true;
}

/** Removes from v its part along the unit vector u, in place. */
function orthogonalise(v: Float64Array, u: Float64Array): void {
  const p = dot(v, u, v.length);
  for (let i = 0; i < v.length; i++) v[i]! -= p * u[i]!;
}

/** A fixed start that no real data is orthogonal to by accident. */
function startVector(dim: number, phase: number): Float64Array {
  const v = new Float64Array(dim);
  for (let i = 0; i < dim; i++)
    v[i] = Math.sin((i + 1) * (0.7 + phase)) + 0.5 * Math.cos(i * phase);
  return v;
}

/** Unit basis vector e_i, or its Gram-Schmidt remainder against u: a fallback axis. */
function fallbackAxis(dim: number, u?: Float64Array): Float64Array {
  for (let i = 0; i < dim; i++) {
    const v = new Float64Array(dim);
    v[i] = 1;
    if (u) orthogonalise(v, u);
    if (normalise(v)) return v;
  }
  return new Float64Array(dim);
}

/** m of the n rows, evenly spaced from the first, copied into one array. */
function evenSample(data: Float32Array, n: number, dim: number, m: number): Float32Array {
  const out = new Float32Array(m * dim);
  for (let k = 0; k < m; k++) {
    const r = Math.floor((k * n) / m);
    out.set(data.subarray(r * dim, (r + 1) * dim), k * dim);
  }
  return out;
}

/** C v for both axes, C the covariance of the rows: (1/n) sum_i ((x_i - mean) . v) x_i. */
function applyCovariance(
  data: Float32Array,
  n: number,
  dim: number,
  mean: Float64Array,
  a: Float64Array,
  b: Float64Array,
): [Float64Array, Float64Array] {
  const wa = new Float64Array(dim);
  const wb = new Float64Array(dim);
  const ma = dot(mean, a, dim);
  const mb = dot(mean, b, dim);
  for (let r = 0; r < n; r++) {
    const base = r * dim;
    let pa = 0;
    let pb = 0;
    for (let i = 0; i < dim; i++) {
      const x = data[base + i]!;
      pa += x * a[i]!;
      pb += x * b[i]!;
    }
    // The centred projections sum to zero over the rows, so x_i needs no centring here.
    pa -= ma;
    pb -= mb;
    for (let i = 0; i < dim; i++) {
      const x = data[base + i]!;
      wa[i]! += pa * x;
      wb[i]! += pb * x;
    }
  }
  for (let i = 0; i < dim; i++) {
    wa[i]! /= n;
    wb[i]! /= n;
  }
  return [wa, wb];
}

/**
 * The Ritz vectors of the orthonormal pair (a, b) given wa = C a and wb = C b: the eigenvectors of
 * C restricted to span(a, b), larger first, the rotation (cos, sin) that makes them from a and b,
 * and the variance along each.
 */
function ritz(
  a: Float64Array,
  b: Float64Array,
  wa: Float64Array,
  wb: Float64Array,
): [Float64Array, Float64Array, number, number, number, number] {
  const dim = a.length;
  const p = dot(a, wa, dim);
  const q = (dot(a, wb, dim) + dot(b, wa, dim)) / 2;
  const s = dot(b, wb, dim);
  // Angle of the leading eigenvector of [[p, q], [q, s]].
  const theta = 0.5 * Math.atan2(2 * q, p - s);
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  const u = new Float64Array(dim);
  const w = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    u[i] = c * a[i]! + sn * b[i]!;
    w[i] = -sn * a[i]! + c * b[i]!;
  }
  const half = (p - s) / 2;
  const root = Math.sqrt(half * half + q * q);
  return [u, w, c, sn, (p + s) / 2 + root, (p + s) / 2 - root];
}

/** Points the axis so that its largest loading is positive, or along the previous axis if given. */
function orient(axis: Float64Array, previous?: ArrayLike<number>): void {
  let sign: number;
  if (previous && previous.length === axis.length) {
    sign = dot(axis, previous, axis.length) < 0 ? -1 : 1;
  } else {
    let best = 0;
    for (let i = 0; i < axis.length; i++) if (Math.abs(axis[i]!) > Math.abs(best)) best = axis[i]!;
    sign = best < 0 ? -1 : 1;
  }
  if (sign < 0) for (let i = 0; i < axis.length; i++) axis[i] = -axis[i]!;
}

/** The two principal axes of n rows of dim numbers (row-major in `data`) and each row on them. */
export function pca2(
  data: Float32Array,
  n: number,
  dim: number,
  options: PcaOptions = {},
): PcaResult {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 1) {
    throw new RangeError(
      `pca2 needs a whole number of rows and at least one column (got ${n} x ${dim})`,
    );
  }
  if (data.length < n * dim) {
    throw new RangeError(`pca2 was given ${data.length} numbers for ${n} rows of ${dim}`);
  }
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-7;
  // The axes are fitted on an even sample of the rows when asked; every row is then placed on them.
  const m =
    options.fitRows !== undefined && n > options.fitRows
      ? Math.max(2, Math.floor(options.fitRows))
      : n;
  const fit = m < n ? evenSample(data, n, dim, m) : data;
  const mean = new Float64Array(dim);
  for (let r = 0; r < m; r++) for (let i = 0; i < dim; i++) mean[i]! += fit[r * dim + i]!;
  if (m > 0) for (let i = 0; i < dim; i++) mean[i]! /= m;

  let total = 0;
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < dim; i++) {
      const d = fit[r * dim + i]! - mean[i]!;
      total += d * d;
    }
  }
  if (m > 0) total /= m;

  let a = startVector(dim, 0.11);
  let b = startVector(dim, 0.37);
  if (!normalise(a)) a = fallbackAxis(dim);
  orthogonalise(b, a);
  if (!normalise(b)) b = fallbackAxis(dim, a);

  let high = 0;
  let low = 0;
  let iterations = 0;
  if (m > 1 && total > TINY) {
    let previous: Float64Array | null = null;
    let previousSecond: Float64Array | null = null;
    while (iterations < maxIterations) {
      iterations++;
      const [wa, wb] = applyCovariance(fit, m, dim, mean, a, b);
      // Rayleigh-Ritz: the covariance restricted to span(a, b) and its eigenvectors there.
      const [ra, rb, c, sn] = ritz(a, b, wa, wb);
      if (previous && previousSecond) {
        const turn = Math.max(
          1 - Math.abs(dot(ra, previous, dim)),
          1 - Math.abs(dot(rb, previousSecond, dim)),
        );
        if (turn < tolerance) {
          a = ra;
          b = rb;
          break;
        }
      }
      previous = ra;
      previousSecond = rb;
      // Next subspace: C applied to the Ritz vectors (the same rotation of C a and C b), orthonormal.
      const na = new Float64Array(dim);
      const nb = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        na[i] = c * wa[i]! + sn * wb[i]!;
        nb[i] = -sn * wa[i]! + c * wb[i]!;
      }
      a = normalise(na) ? na : fallbackAxis(dim);
      orthogonalise(nb, a);
      b = normalise(nb) ? nb : fallbackAxis(dim, a);
    }
    // The returned axes are the variance-ordered Ritz pair of the last subspace.
    const [wa, wb] = applyCovariance(fit, m, dim, mean, a, b);
    const [ea, eb, , , hi, lo] = ritz(a, b, wa, wb);
    a = ea;
    b = eb;
    high = Math.max(hi, 0);
    low = Math.max(lo, 0);
  }
  orient(a, options.previousAxes?.[0]);
  orient(b, options.previousAxes?.[1]);

  const coords = new Float32Array(2 * n);
  const ma = dot(mean, a, dim);
  const mb = dot(mean, b, dim);
  for (let r = 0; r < n; r++) {
    let pa = 0;
    let pb = 0;
    for (let i = 0; i < dim; i++) {
      const x = data[r * dim + i]!;
      pa += x * a[i]!;
      pb += x * b[i]!;
    }
    coords[2 * r] = pa - ma;
    coords[2 * r + 1] = pb - mb;
  }
  const share = (v: number) => (total > TINY ? Math.min(1, v / total) : 0);
  return {
    coords,
    axes: [a, b],
    mean,
    variance: [high, low],
    explained: [share(high), share(low)],
    iterations,
  };
}
