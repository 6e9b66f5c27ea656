import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createRandom } from '../src/lib/crescent/random';
import { VectorIndex } from '../src/lib/crescent/vectorIndex';
import { WasmRows } from '../src/lib/crescent/vectorScan';

function unitVectors(count: number, dim: number, seed: number): Float32Array[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dim }, () => random.next() * 2 - 1);
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  });
}

/** The obvious implementation the index must agree with. */
function naiveSimilarities(vectors: Float32Array[], q: Float32Array): number[] {
  return vectors.map((v) => v.reduce((sum, x, j) => sum + x * (q[j] ?? 0), 0));
}

function naiveNearest(vectors: Float32Array[], q: Float32Array, excluded = -1) {
  let best: { index: number; similarity: number } | null = null;
  const similarities = naiveSimilarities(vectors, q);
  for (let index = 0; index < similarities.length; index++) {
    const similarity = similarities[index] ?? NaN;
    if (index !== excluded && (!best || similarity > best.similarity)) best = { index, similarity };
  }
  return best;
}

const sizes = fc.record({
  dim: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant(384)),
  count: fc.integer({ min: 0, max: 70 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('VectorIndex', () => {
  it('returns null from an empty index', () => {
    const index = new VectorIndex(3);
    expect(index.size).toBe(0);
    expect(index.nearest(new Float32Array([1, 0, 0]))).toBeNull();
    expect(index.topK(new Float32Array([1, 0, 0]), 5)).toEqual([]);
  });

  it('finds the same nearest neighbour as a naive scan', () => {
    fc.assert(
      fc.property(sizes, ({ dim, count, seed }) => {
        const [query, ...vectors] = unitVectors(count + 1, dim, seed);
        if (!query) throw new Error('unitVectors returned nothing');
        const index = VectorIndex.fromVectors(dim, vectors);
        const got = index.nearest(query);
        const want = naiveNearest(vectors, query);
        expect(got?.index).toBe(want?.index);
        if (got && want) expect(got.similarity).toBeCloseTo(want.similarity, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('finds the k most similar in order, as a sorted naive scan does', () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 0, max: 12 }), ({ dim, count, seed }, k) => {
        const [query, ...vectors] = unitVectors(count + 1, dim, seed);
        if (!query) throw new Error('unitVectors returned nothing');
        const index = VectorIndex.fromVectors(dim, vectors);
        const want = naiveSimilarities(vectors, query)
          .map((similarity, i) => ({ index: i, similarity }))
          .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
          .slice(0, k);
        const got = index.topK(query, k);
        expect(got.map((n) => n.index)).toEqual(want.map((n) => n.index));
        got.forEach((n, i) => expect(n.similarity).toBeCloseTo(want[i]?.similarity ?? NaN, 12));
      }),
      { numRuns: 200 },
    );
  });

  it("skips a stored vector's own position when asked", () => {
    const vectors = unitVectors(40, 16, 5);
    const index = VectorIndex.fromVectors(16, vectors);
    vectors.forEach((v, i) => {
      expect(index.nearest(v)?.index).toBe(i);
      const got = index.nearestExcluding(v, i);
      const want = naiveNearest(vectors, v, i);
      expect(got?.index).toBe(want?.index);
      expect(got?.similarity).toBeCloseTo(want?.similarity ?? NaN, 12);
    });
    expect(new VectorIndex(2).nearestExcluding(new Float32Array(2), 0)).toBeNull();
  });

  it('keeps every vector intact across capacity boundaries', () => {
    const vectors = unitVectors(130, 7, 11);
    const index = new VectorIndex(7, 1);
    vectors.forEach((v, i) => {
      expect(index.add(v)).toBe(i);
      expect(index.size).toBe(i + 1);
    });
    vectors.forEach((v, i) => expect(Array.from(index.vector(i))).toEqual(Array.from(v)));
    expect(index.nearest(vectors[129] ?? new Float32Array(7))?.index).toBe(129);
  });

  it('stores a copy, so later changes to the caller’s array do not leak in', () => {
    const v = new Float32Array([0.6, 0.8]);
    const index = new VectorIndex(2);
    index.add(v);
    v[0] = -1;
    expect(Array.from(index.vector(0))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it('gives a tie to the lowest index', () => {
    const index = new VectorIndex(2);
    index.add(new Float32Array([0, 1]));
    index.add(new Float32Array([0.6, 0.8]));
    index.add(new Float32Array([0.6, 0.8]));
    index.add(new Float32Array([0.8, 0.6]));
    const q = new Float32Array([0.6, 0.8]);
    expect(index.nearest(q)?.index).toBe(1);
    expect(index.topK(q, 3).map((n) => n.index)).toEqual([1, 2, 3]);
    // [0, 1] and [1, 0] are equally far from the diagonal: the earlier one wins.
    const tied = VectorIndex.fromVectors(2, [new Float32Array([0, 1]), new Float32Array([1, 0])]);
    expect(tied.nearest(new Float32Array([Math.SQRT1_2, Math.SQRT1_2]))?.index).toBe(0);
  });

  it('reports cosine similarity as the dot product of unit vectors', () => {
    const index = VectorIndex.fromVectors(2, [new Float32Array([1, 0])]);
    const q = new Float32Array([0.6, 0.8]);
    expect(index.nearest(q)?.similarity).toBeCloseTo(0.6, 6);
    expect(index.similarity(0, q)).toBeCloseTo(0.6, 6);
  });

  it('rejects vectors of the wrong dimension or with non-finite values, saying why', () => {
    const index = new VectorIndex(3);
    expect(() => index.add(new Float32Array(4))).toThrow(/4 dimensions, the index holds 3/);
    expect(() => index.nearest(new Float32Array(2))).toThrow(/2 dimensions/);
    expect(() => index.topK(new Float32Array(5), 1)).toThrow(RangeError);
    expect(() => index.add(new Float32Array([1, NaN, 0]))).toThrow(/component 1 is NaN/);
    expect(index.size).toBe(0);
    expect(() => new VectorIndex(0)).toThrow(/positive integer/);
    expect(() => new VectorIndex(1.5)).toThrow(/positive integer/);
    expect(() => index.vector(0)).toThrow(/No vector 0/);
  });

  it('forgets its vectors when cleared and can be filled again', () => {
    const index = VectorIndex.fromVectors(2, [new Float32Array([1, 0])]);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.nearest(new Float32Array([1, 0]))).toBeNull();
    expect(index.add(new Float32Array([0, 1]))).toBe(0);
    expect(index.nearest(new Float32Array([1, 0]))).toEqual({ index: 0, similarity: 0 });
  });
});

/** The same vectors in an index that scans in JS: the exact reference nearestMany must equal. */
function pair(dim: number, vectors: Float32Array[], initialCapacity = 64) {
  const wasm = new VectorIndex(dim, initialCapacity);
  const js = new VectorIndex(dim, initialCapacity, { wasm: false });
  for (const v of vectors) {
    wasm.add(v);
    js.add(v);
  }
  return { wasm, js };
}

/** Every query's nearest by the JS scan, one query at a time. */
function reference(js: VectorIndex, queries: Float32Array[]) {
  return queries.map((q) => js.nearestExcluding(q, -1));
}

/** `v` with each component moved by up to `ulps` float32 steps: rows far closer than any bound. */
function nudged(v: Float32Array, ulps: number, random: { next(): number }): Float32Array {
  const out = Float32Array.from(v);
  const bits = new Int32Array(out.buffer);
  for (let j = 0; j < bits.length; j++) {
    if ((out[j] ?? 0) !== 0)
      bits[j] = (bits[j] ?? 0) + Math.floor(random.next() * (2 * ulps + 1)) - ulps;
  }
  return out;
}

const batch = fc.record({
  dim: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(383, 384, 385)),
  count: fc.integer({ min: 0, max: 120 }),
  queries: fc.integer({ min: 0, max: 37 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('VectorIndex.nearestMany', () => {
  it('runs the WebAssembly kernel here (Node has SIMD)', () => {
    expect(new VectorIndex(4).usesWasm).toBe(true);
    expect(new VectorIndex(4, 1, { wasm: false }).usesWasm).toBe(false);
  });

  it('gives each query the index and, to the bit, the similarity of the exact JS scan', () => {
    fc.assert(
      fc.property(batch, ({ dim, count, queries, seed }) => {
        const random = createRandom(seed);
        const pool = unitVectors(Math.max(1, Math.ceil(count / 3)), dim, seed);
        // A third of the rows are repeats, so ties between rows are common.
        const vectors = Array.from({ length: count }, (_, i) =>
          i % 3 === 2
            ? (pool[Math.floor(random.next() * pool.length)] ?? pool[0]!)
            : unitVectors(1, dim, seed + i + 1)[0]!,
        );
        // Half the queries are stored rows (exact matches), half are new.
        const asked = Array.from({ length: queries }, (_, k) =>
          k % 2 === 0 && vectors.length > 0
            ? (vectors[Math.floor(random.next() * vectors.length)] ?? vectors[0]!)
            : unitVectors(1, dim, seed ^ (k + 7919))[0]!,
        );
        const { wasm, js } = pair(dim, vectors);
        const got = wasm.nearestMany(asked);
        expect(got).toEqual(reference(js, asked));
        got.forEach((n, k) => {
          if (n) expect(Object.is(n.similarity, js.similarity(n.index, asked[k]!))).toBe(true);
        });
        expect(asked.map((q) => wasm.nearest(q))).toEqual(got);
      }),
      { numRuns: 150 },
    );
  });

  it('finds the exact winner among rows a few float32 steps apart', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (dim, count, seed) => {
          const random = createRandom(seed);
          const [base] = unitVectors(1, dim, seed);
          const vectors = Array.from({ length: count }, () => nudged(base!, 3, random));
          const asked = [base!, nudged(base!, 2, random), ...vectors.slice(0, 5)];
          const { wasm, js } = pair(dim, vectors);
          expect(wasm.nearestMany(asked)).toEqual(reference(js, asked));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps similarities around the 0.875 threshold exactly as the JS scan computes them', () => {
    const dim = 384;
    const random = createRandom(3);
    const [q, u] = unitVectors(2, dim, 3);
    // Rows at cosine 0.875 ± a few 1e-9 from q: the side of the threshold is decided by the last bits.
    const vectors = Array.from({ length: 200 }, () => {
      const c = 0.875 + (random.next() - 0.5) * 1e-8;
      const v = q!.map((x, j) => c * x + Math.sqrt(1 - c * c) * (u![j] ?? 0));
      return nudged(v, 1, random);
    });
    const { wasm, js } = pair(dim, vectors);
    const asked = [q!, ...vectors.slice(0, 20)];
    const got = wasm.nearestMany(asked);
    expect(got).toEqual(reference(js, asked));
    expect(got.map((n) => (n?.similarity ?? 0) > 0.875)).toEqual(
      reference(js, asked).map((n) => (n?.similarity ?? 0) > 0.875),
    );
  });

  it('agrees with the JS scan on vectors of any length, zeros and extreme magnitudes', () => {
    const component = fc.oneof(
      fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.constantFrom(0, -0, 1e-40, -3e-39, 1e30),
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 19 })
          .chain((dim) =>
            fc.tuple(
              fc.constant(dim),
              fc.array(fc.array(component, { minLength: dim, maxLength: dim }), { maxLength: 30 }),
              fc.array(fc.array(component, { minLength: dim, maxLength: dim }), { maxLength: 9 }),
            ),
          ),
        ([dim, rows, queries]) => {
          const vectors = rows.map((r) => Float32Array.from(r));
          const asked = queries.map((r) => Float32Array.from(r));
          const { wasm, js } = pair(dim, vectors);
          expect(wasm.nearestMany(asked)).toEqual(reference(js, asked));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers null for every query of an empty index and nothing for no queries', () => {
    const index = new VectorIndex(5);
    const [q] = unitVectors(1, 5, 1);
    expect(index.nearestMany([q!, q!])).toEqual([null, null]);
    expect(index.nearestMany([])).toEqual([]);
    index.add(q!);
    expect(index.nearestMany([])).toEqual([]);
    expect(index.nearestMany([q!])).toEqual([{ index: 0, similarity: index.similarity(0, q!) }]);
  });

  it('returns the single stored row for any query', () => {
    const [v, q] = unitVectors(2, 9, 4);
    const { wasm, js } = pair(9, [v!]);
    expect(wasm.nearestMany([q!, v!])).toEqual(reference(js, [q!, v!]));
    expect(wasm.nearestMany([q!])[0]?.index).toBe(0);
  });

  it('answers the same through the JS fallback, query by query', () => {
    const vectors = unitVectors(50, 13, 8);
    const index = VectorIndex.fromVectors(13, []);
    const js = new VectorIndex(13, 4, { wasm: false });
    vectors.forEach((v) => {
      index.add(v);
      js.add(v);
    });
    const asked = unitVectors(20, 13, 9);
    expect(js.nearestMany(asked)).toEqual(asked.map((q) => js.nearest(q)));
    expect(js.nearestMany(asked)).toEqual(index.nearestMany(asked));
    expect(js.nearestMany(asked).every((n) => n !== null)).toBe(true);
  });

  it('falls back to the JS scan where WebAssembly SIMD does not validate', async () => {
    const vectors = unitVectors(30, 6, 12);
    const asked = unitVectors(5, 6, 13);
    const { wasm, js } = pair(6, vectors);
    const want = reference(js, [...vectors, ...asked]);
    vi.resetModules();
    vi.stubGlobal('WebAssembly', { validate: () => false });
    try {
      const fresh = await import('../src/lib/crescent/vectorIndex');
      const index = new fresh.VectorIndex(6);
      expect(index.usesWasm).toBe(false);
      vectors.forEach((v) => index.add(v));
      expect(index.nearestMany([...vectors, ...asked])).toEqual(want);
      // An index made before keeps its compiled kernel.
      expect(wasm.nearestMany([...vectors, ...asked])).toEqual(want);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('falls back where there is no WebAssembly at all', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const fresh = await import('../src/lib/crescent/vectorIndex');
      expect(new fresh.VectorIndex(3).usesWasm).toBe(false);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('keeps searching exactly while the memory grows over many adds', () => {
    const dim = 23;
    const vectors = unitVectors(700, dim, 21);
    const index = new VectorIndex(dim, 1);
    const js = new VectorIndex(dim, 1, { wasm: false });
    const asked = unitVectors(18, dim, 22);
    vectors.forEach((v, i) => {
      expect(index.add(v)).toBe(i);
      js.add(v);
      if ((i & (i + 1)) === 0 || i % 97 === 0) {
        expect(index.nearestMany(asked)).toEqual(reference(js, asked));
      }
    });
    vectors.forEach((v, i) => expect(Array.from(index.vector(i))).toEqual(Array.from(v)));
    expect(index.nearestMany(vectors.slice(0, 40)).map((n) => n?.index)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  it('grows past a WebAssembly page of vectors and keeps each one', () => {
    const dim = 384;
    const vectors = unitVectors(300, dim, 31);
    const index = new VectorIndex(dim, 2);
    vectors.forEach((v) => index.add(v));
    vectors.forEach((v, i) => expect(index.vector(i)).toEqual(v));
    expect(index.nearestMany([vectors[299]!, vectors[0]!]).map((n) => n?.index)).toEqual([299, 0]);
  });

  it('searches only what was added since a clear', () => {
    const vectors = unitVectors(40, 8, 41);
    const index = VectorIndex.fromVectors(8, vectors);
    index.clear();
    expect(index.nearestMany(vectors.slice(0, 3))).toEqual([null, null, null]);
    index.add(vectors[5]!);
    expect(index.nearestMany([vectors[0]!, vectors[5]!]).map((n) => n?.index)).toEqual([0, 0]);
  });

  it('answers nearest and nearestMany with the kernel where it exists, and only then', () => {
    const scan = vi.spyOn(WasmRows.prototype, 'nearestMany');
    try {
      const vectors = unitVectors(10, 4, 61);
      const { wasm, js } = pair(4, vectors);
      wasm.nearest(vectors[0]!);
      wasm.nearestMany(vectors);
      expect(scan).toHaveBeenCalledTimes(2);
      js.nearest(vectors[0]!);
      js.nearestMany(vectors);
      expect(scan).toHaveBeenCalledTimes(2);
    } finally {
      scan.mockRestore();
    }
  });

  it('names the search a wrong-sized vector was given to', () => {
    const index = VectorIndex.fromVectors(3, unitVectors(2, 3, 62));
    const wrong = new Float32Array(2);
    expect(() => index.similarity(0, wrong)).toThrow(/VectorIndex\.similarity:/);
    expect(() => index.nearest(wrong)).toThrow(/VectorIndex\.nearest:/);
    expect(() => index.nearestExcluding(wrong, 0)).toThrow(/VectorIndex\.nearest:/);
    expect(() => index.topK(wrong, 1)).toThrow(/VectorIndex\.topK:/);
  });

  it('rejects a query of the wrong dimension or with a non-finite value, saying which', () => {
    const index = VectorIndex.fromVectors(3, unitVectors(4, 3, 51));
    expect(() => index.nearestMany([new Float32Array(3), new Float32Array(2)])).toThrow(
      /nearestMany: vector has 2 dimensions, the index holds 3/,
    );
    expect(() => index.nearestMany([new Float32Array([0, Infinity, 0])])).toThrow(
      /component 1 is Infinity/,
    );
  });
});
