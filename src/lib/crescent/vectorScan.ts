// VectorIndex's rows kept in WebAssembly memory, beside an int16 copy of each, so that one pass
// of the SIMD kernel (vectorScan.wat) answers a block of queries exactly.
//
// Why the estimate can never lose the nearest row (x a stored row, q a query, both float32):
// each is quantised as x = s·x̃ + r with s = max|x_j| / M, x̃_j = round(x_j / s) an integer of
// at most M in magnitude and r the residual; likewise q = s_q·q̃ + t. The kernel computes the
// integer I = x̃·q̃ exactly (|I| ≤ dim·M² < 2³¹, and each i32x4.dot_i16x8_s pair ≤ 2M² fits)
// and the estimate E = fl(fl(I·s)·s_q). Exactly,
//   x·q = s·s_q·I + s·(x̃·t) + r·q,
// and by Cauchy–Schwarz |s·(x̃·t)| ≤ s‖x̃‖·‖t‖ and |r·q| ≤ ‖r‖·‖q‖. The similarity reported is
// D = dotAt(x, q), float32 products (exact in float64) summed in float64: |D − x·q| ≤
// γ·Σ|x_j q_j| ≤ γ·‖x‖·‖q‖ with γ = dim·2⁻⁵³/(1 − dim·2⁻⁵³) < (dim + 4)·2⁻⁵². Two roundings
// make |E − s·s_q·I| ≤ 2⁻⁵²·s‖x̃‖·s_q‖q̃‖. So |E − D| ≤ e with
//   e = s‖x̃‖·(‖t‖ + 2⁻⁴⁰·s_q‖q̃‖) + ‖r‖·‖q‖ + (dim + 4)·2⁻⁵²·‖x‖·‖q‖,
// where 2⁻⁴⁰ ≫ 2⁻⁵² also covers rounding in E ± e (at most 2⁻⁵³ of |E| + e), and the factor
// INFLATE = 1 + 2⁻³⁰ on the row's terms covers rounding in the norms (relative dim·2⁻⁵³, so
// for dim < 2²⁰), in computing r, and in evaluating e itself.
// Scanning rows in order, each query keeps a lower bound L on the winner's D: the largest
// E − e and the largest exact D seen so far (D_w ≥ D_i ≥ E_i − e_i for every row i). Row i
// gets the exact D only if E_i + e_i ≥ L. The winner w (the largest D, lowest index among
// equals) has E_w + e_w ≥ D_w ≥ L_final ≥ L at its turn, so it is always computed exactly;
// every computed D is ≤ D_w and rows before w have D < D_w, so strict > in row order picks w
// with the very value dotAt gives.
import type { Neighbour } from './vectorIndex';
import { VECTOR_SCAN_WASM_HEX } from './vectorScanWasm';

/** Queries answered by one pass over the rows: their int16 copies (12 KiB at 384 dims) stay in L1. */
export const QUERY_BLOCK = 16;
const INFLATE = 1 + 2 ** -30;
const PAGE = 65_536;
const ROW_BOUNDS = 4;
const SLICE = 4096;

interface ScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(
    rows: number,
    vectors: number,
    count: number,
    dim: number,
    qs: number,
    recs: number,
    quads: number,
    filter: number,
    first: number,
  ): void;
}

// The few WebAssembly calls used, typed here: the core compiles without the DOM's types.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The compiled kernel and the API that compiled it, to instantiate once per index. */
export interface ScanModule {
  module: object;
  wasm: WasmApi;
}

let compiled: ScanModule | null | undefined;

/** The compiled kernel, or null where WebAssembly or its SIMD is missing (then the JS scan runs). */
export function scanModule(): ScanModule | null {
  if (compiled !== undefined) return compiled;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const bytes = Uint8Array.from(VECTOR_SCAN_WASM_HEX.match(/../g) ?? [], (h) => parseInt(h, 16));
  // A small module compiles synchronously in Node and in workers, so the search stays synchronous.
  compiled = wasm?.validate(bytes) ? { module: new wasm.Module(bytes), wasm } : null;
  return compiled;
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * Byte offsets shared with vectorScan.wat, which derives the same strides from `dim`: 64 bytes of
 * scratch, the block's int16 queries interleaved by groups of four, the queries' records (float64
 * copy, then scale, bound coefficients and result), the rows' int16 copies each followed by its
 * scale and bound terms, and last the float32 vectors, packed. The int16 rows are read in one
 * sequential stream: interleaved with the float32 ones, the hardware prefetcher lost them at
 * every page and the scan ran at half speed.
 */
function layoutOf(dim: number) {
  const i16Length = align(dim, 16);
  const qs = 64;
  const recs = align(qs + QUERY_BLOCK * i16Length * 2, 64);
  const qParams = align(dim * 8, 16);
  const recStride = qParams + 64;
  return {
    i16Length,
    /** Bytes per row of the int16 array: the copy, then scale and three bound terms. */
    stride: i16Length * 2 + ROW_BOUNDS * 8,
    qs,
    recs,
    qParams,
    recStride,
    rowsBase: align(recs + QUERY_BLOCK * recStride, 64),
  };
}

interface Quantised {
  scale: number;
  /** s‖x̃‖ */
  scaledNorm: number;
  /** ‖r‖ */
  residualNorm: number;
  /** ‖x‖ */
  norm: number;
}

/** Writes round(v / s) into `out` from `at` (zeros up to `length`) and returns the bounds' parts. */
function quantise(v: Float32Array, out: Int16Array, at: number, length: number): Quantised {
  // The largest magnitude that keeps dim·M² within an int32.
  const limit = Math.min(32_767, Math.floor(Math.sqrt((2 ** 31 - 1) / v.length)));
  let maxAbs = 0;
  for (const x of v) maxAbs = Math.max(maxAbs, Math.abs(x));
  const scale = maxAbs / limit;
  let qq = 0;
  let rr = 0;
  let xx = 0;
  for (let j = 0; j < v.length; j++) {
    const x = v[j] ?? 0;
    const n = scale > 0 ? Math.max(-limit, Math.min(limit, Math.round(x / scale))) : 0;
    const r = x - scale * n;
    out[at + j] = n;
    qq += n * n;
    rr += r * r;
    xx += x * x;
  }
  out.fill(0, at + v.length, at + length);
  return {
    scale,
    scaledNorm: scale * Math.sqrt(qq),
    residualNorm: Math.sqrt(rr),
    norm: Math.sqrt(xx),
  };
}

/** Rows in the kernel's memory: row i's float32 vector starts at float `base + i * stride`. */
export class WasmRows {
  readonly dim: number;
  readonly stride: number;
  #layout: ReturnType<typeof layoutOf>;
  #kernel: ScanExports;
  #capacity = 0;
  #f32 = new Float32Array(0);
  #f64 = new Float64Array(0);
  #i16 = new Int16Array(0);
  #i32 = new Int32Array(0);
  #query: Int16Array;

  constructor(dim: number, capacity: number, { module, wasm }: ScanModule) {
    this.dim = dim;
    this.stride = dim;
    this.#layout = layoutOf(dim);
    this.#query = new Int16Array(this.#layout.i16Length);
    this.#kernel = new wasm.Instance(module, {}).exports as ScanExports;
    this.reserve(capacity);
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** The float offset of row 0: it moves up when the int16 array below it grows. */
  get base(): number {
    return this.#vectorsAt(this.#capacity) / 4;
  }

  /** The float32 rows; memory growth detaches the previous view. */
  get data(): Float32Array {
    return this.#f32;
  }

  /** Room for `rows` rows; growing the memory invalidates earlier views of it. */
  reserve(rows: number): void {
    if (rows <= this.#capacity) return;
    const { memory } = this.#kernel;
    const from = this.#vectorsAt(this.#capacity);
    const to = this.#vectorsAt(rows);
    const bytes = to + rows * this.dim * 4;
    if (bytes > memory.buffer.byteLength) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    }
    const { buffer } = memory;
    // The float32 vectors move up to make room for the int16 rows (an overlapping copy).
    new Uint8Array(buffer).copyWithin(to, from, from + this.#capacity * this.dim * 4);
    this.#capacity = rows;
    this.#f32 = new Float32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#i16 = new Int16Array(buffer);
    this.#i32 = new Int32Array(buffer);
  }

  write(i: number, v: Float32Array): void {
    const { rowsBase, stride, i16Length } = this.#layout;
    this.#f32.set(v, this.base + i * this.dim);
    const row = rowsBase + i * stride;
    const q = quantise(v, this.#i16, row / 2, i16Length);
    this.#f64.set(
      [q.scale, q.scaledNorm * INFLATE, q.residualNorm * INFLATE, q.norm * INFLATE],
      (row + i16Length * 2) / 8,
    );
  }

  /** For each query the nearest of rows 0..count; `filter` false computes every row exactly. */
  nearestMany(
    queries: readonly Float32Array[],
    count: number,
    filter = true,
  ): (Neighbour | null)[] {
    const found: (Neighbour | null)[] = [];
    const { rowsBase, stride, qs, recs } = this.#layout;
    for (let start = 0; start < queries.length; start += QUERY_BLOCK) {
      const block = queries.slice(start, start + QUERY_BLOCK);
      const quads = Math.ceil(block.length / 4);
      for (let k = 0; k < quads * 4; k++) this.#writeQuery(k, block[k]);
      const vectors = this.#vectorsAt(this.#capacity);
      // In slices, so that V8's optimised code, compiled while the first slices run in its
      // baseline tier, serves the rest of even the first search (a call never switches tiers).
      for (let first = 0; first < count; first += SLICE) {
        this.#kernel.scan(
          rowsBase + first * stride,
          vectors + first * this.dim * 4,
          Math.min(SLICE, count - first),
          this.dim,
          qs,
          recs,
          quads,
          filter ? 1 : 0,
          first,
        );
      }
      block.forEach((_, k) => found.push(this.#result(k)));
    }
    return found;
  }

  /** Query `k` of the block; none pads the last group of four with one that never matches. */
  #writeQuery(k: number, v: Float32Array | undefined): void {
    const { i16Length, qs, recs, recStride, qParams } = this.#layout;
    const q = v ? quantise(v, this.#query, 0, i16Length) : null;
    if (!q) this.#query.fill(0);
    // Chunk c (eight int16) of query k sits at c * 64 + (k % 4) * 16 in its group of four.
    const group = qs / 2 + (k >> 2) * i16Length * 4 + (k & 3) * 8;
    for (let c = 0; c < i16Length; c += 8) {
      this.#i16.set(this.#query.subarray(c, c + 8), group + c * 4);
    }
    const rec = recs + k * recStride;
    if (v) this.#f64.set(v, rec / 8);
    const gamma = (this.dim + 4) * 2 ** -52;
    this.#f64.set(
      [
        q?.scale ?? 0,
        q ? q.residualNorm + 2 ** -40 * q.scaledNorm : 0,
        q?.norm ?? 0,
        gamma * (q?.norm ?? 0),
        -Infinity, // best similarity
        q ? -Infinity : Infinity, // lower bound on the winner's
      ],
      (rec + qParams) / 8,
    );
    this.#i32[(rec + qParams + 48) / 4] = -1;
  }

  #result(k: number): Neighbour | null {
    const params = this.#layout.recs + k * this.#layout.recStride + this.#layout.qParams;
    const index = this.#i32[(params + 48) / 4] ?? -1;
    return index < 0 ? null : { index, similarity: this.#f64[(params + 32) / 8] ?? NaN };
  }

  #vectorsAt(capacity: number): number {
    return align(this.#layout.rowsBase + capacity * this.#layout.stride, 64);
  }
}
