// Exact nearest-neighbour search over the accepted questions' embeddings.
// Vectors are L2-normalised, so cosine similarity is the dot product; brute force is exact. Where
// WebAssembly SIMD exists the rows live in the kernel's memory (vectorScan.ts), which answers
// nearest and nearestMany; elsewhere, and for the other searches, an unrolled JS loop does.
import { WasmRows, scanModule } from './vectorScan';

export interface Neighbour {
  index: number;
  similarity: number;
}

/** Dot product of row `offset..offset+dim` of `data` with `q`: 4 accumulators hide add latency. */
function dotAt(data: Float32Array, offset: number, q: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = dim - (dim % 8);
  let j = 0;
  // Indices are in bounds, so `?? 0` never fires; V8 compiles it away (measured: no cost).
  for (; j < end; j += 8) {
    const o = offset + j;
    s0 += (data[o] ?? 0) * (q[j] ?? 0) + (data[o + 4] ?? 0) * (q[j + 4] ?? 0);
    s1 += (data[o + 1] ?? 0) * (q[j + 1] ?? 0) + (data[o + 5] ?? 0) * (q[j + 5] ?? 0);
    s2 += (data[o + 2] ?? 0) * (q[j + 2] ?? 0) + (data[o + 6] ?? 0) * (q[j + 6] ?? 0);
    s3 += (data[o + 3] ?? 0) * (q[j + 3] ?? 0) + (data[o + 7] ?? 0) * (q[j + 7] ?? 0);
  }
  for (; j < dim; j++) s0 += (data[offset + j] ?? 0) * (q[j] ?? 0);
  return s0 + s1 + s2 + s3;
}

/**
 * The similarity of two vectors exactly as a scan of the index computes it for a stored row `row`
 * and a query `q`, to the bit: a row judged before it is stored compares like a stored one.
 */
export function similarityOf(row: Float32Array, q: Float32Array): number {
  if (row.length !== q.length) {
    throw new RangeError(`similarityOf: vectors of ${row.length} and ${q.length} dimensions.`);
  }
  return dotAt(row, 0, q, q.length);
}

/** Where the rows live: vector i starts at float `base + i * stride` of `data`. */
interface Rows {
  readonly data: Float32Array;
  readonly base: number;
  readonly stride: number;
  readonly capacity: number;
  reserve(rows: number): void;
  write(i: number, v: Float32Array): void;
}

/** Rows in one Float32Array, packed: the fallback where WebAssembly SIMD is missing. */
class ArrayRows implements Rows {
  readonly base = 0;
  readonly stride: number;
  data: Float32Array;

  constructor(dim: number, capacity: number) {
    this.stride = dim;
    this.data = new Float32Array(capacity * dim);
  }

  get capacity(): number {
    return this.data.length / this.stride;
  }

  reserve(rows: number): void {
    const grown = new Float32Array(rows * this.stride);
    grown.set(this.data);
    this.data = grown;
  }

  write(i: number, v: Float32Array): void {
    this.data.set(v, i * this.stride);
  }
}

export interface VectorIndexOptions {
  /** false keeps the rows in JS and scans them there (measuring it, testing the fallback). */
  wasm?: boolean;
}

export class VectorIndex {
  readonly dim: number;
  private readonly rows: Rows;
  private readonly kernel: WasmRows | null;
  private count = 0;

  constructor(dim: number, initialCapacity = 64, options: VectorIndexOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new RangeError(`Vector dimension must be a positive integer, got ${dim}.`);
    }
    this.dim = dim;
    const capacity = Math.max(1, Math.floor(initialCapacity));
    const module = options.wasm === false ? null : scanModule();
    this.kernel = module ? new WasmRows(dim, capacity, module) : null;
    this.rows = this.kernel ?? new ArrayRows(dim, capacity);
  }

  /** Whether the WebAssembly kernel holds the rows (false where SIMD is missing). */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  static fromVectors(dim: number, vectors: Iterable<Float32Array>): VectorIndex {
    const index = new VectorIndex(dim);
    for (const v of vectors) index.add(v);
    return index;
  }

  get size(): number {
    return this.count;
  }

  /** Stores a copy of `v` and returns its position. */
  add(v: Float32Array): number {
    this.checkDim(v, 'add');
    // Doubling keeps appends amortised O(dim).
    if (this.count === this.rows.capacity) this.rows.reserve(this.rows.capacity * 2);
    this.rows.write(this.count, v);
    return this.count++;
  }

  /**
   * A view of vector `i`, not a copy: valid until the next add that grows the storage (growing
   * WebAssembly memory detaches every earlier view, which then reads as empty).
   */
  vector(i: number): Float32Array {
    this.checkIndex(i);
    const offset = this.offsetOf(i);
    return this.rows.data.subarray(offset, offset + this.dim);
  }

  similarity(i: number, v: Float32Array): number {
    this.checkDim(v, 'similarity');
    this.checkIndex(i);
    return dotAt(this.rows.data, this.offsetOf(i), v, this.dim);
  }

  /** The most similar stored vector, the lowest index among equals; null when empty. */
  nearest(v: Float32Array): Neighbour | null {
    if (!this.kernel) return this.nearestExcluding(v, -1);
    this.checkDim(v, 'nearest');
    return this.kernel.nearestMany([v], this.count)[0] ?? null;
  }

  /**
   * nearest for each query, in one pass over the index per block of queries: the same index
   * and, to the bit, the same similarity as nearest gives for that query alone.
   */
  nearestMany(queries: readonly Float32Array[]): (Neighbour | null)[] {
    for (const q of queries) this.checkDim(q, 'nearestMany');
    if (!this.kernel) return queries.map((q) => this.nearestExcluding(q, -1));
    return this.kernel.nearestMany(queries, this.count);
  }

  /** As nearest, skipping position `excluded` (a stored vector's own match). */
  nearestExcluding(v: Float32Array, excluded: number): Neighbour | null {
    this.checkDim(v, 'nearest');
    const { dim, count } = this;
    const { data, base, stride } = this.rows;
    let best = -1;
    let bestSimilarity = -Infinity;
    for (let i = 0, offset = base; i < count; i++, offset += stride) {
      if (i === excluded) continue;
      const s = dotAt(data, offset, v, dim);
      // Strict > keeps the lowest index among equals.
      if (s > bestSimilarity) {
        best = i;
        bestSimilarity = s;
      }
    }
    return best < 0 ? null : { index: best, similarity: bestSimilarity };
  }

  /** The k most similar vectors, most similar first, lower index first among equals. */
  topK(v: Float32Array, k: number): Neighbour[] {
    this.checkDim(v, 'topK');
    const { dim, count } = this;
    const { data, base, stride } = this.rows;
    const want = Math.min(Math.max(0, Math.floor(k)), count);
    const top: Neighbour[] = [];
    if (want === 0) return top;
    for (let i = 0, offset = base; i < count; i++, offset += stride) {
      const s = dotAt(data, offset, v, dim);
      if (top.length === want && !(s > (top[want - 1]?.similarity ?? -Infinity))) continue;
      // Insertion into a short sorted list; equal similarities stay in index order.
      let at = top.length;
      while (at > 0 && s > (top[at - 1]?.similarity ?? Infinity)) at--;
      top.splice(at, 0, { index: i, similarity: s });
      if (top.length > want) top.pop();
    }
    return top;
  }

  clear(): void {
    this.count = 0;
  }

  private offsetOf(i: number): number {
    return this.rows.base + i * this.rows.stride;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`No vector ${i} in an index of ${this.count}.`);
    }
  }

  private checkDim(v: Float32Array, operation: string): void {
    if (v.length !== this.dim) {
      throw new RangeError(
        `VectorIndex.${operation}: vector has ${v.length} dimensions, the index holds ${this.dim}.`,
      );
    }
    // A NaN would compare false with everything and silently lose or hide neighbours.
    for (let j = 0; j < v.length; j++) {
      if (!Number.isFinite(v[j])) {
        throw new RangeError(`VectorIndex.${operation}: component ${j} is ${v[j]}, not finite.`);
      }
    }
  }
}
