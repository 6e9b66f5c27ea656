import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRandom } from '../src/lib/crescent/random';
import { VectorIndex } from '../src/lib/crescent/vectorIndex';

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
