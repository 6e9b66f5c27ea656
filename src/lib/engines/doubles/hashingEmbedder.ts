// A deterministic embedder for tests: hashed word unigrams and bigrams, L2-normalised.
// Texts that share most words (a near-duplicate with new numbers) get near vectors.
import type { Embedder } from '../../crescent/types';

export class HashingEmbedder implements Embedder {
  readonly model = 'hashing-embedder';
  readonly dim: number;
  calls = 0;

  constructor(dim = 384) {
    this.dim = dim;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls++;
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dim);
    const words = text.toLowerCase().match(/[a-z]+|\d+/g) ?? [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      bump(v, hash(word) % this.dim, 1);
      const next = words[i + 1];
      if (next !== undefined) bump(v, hash(`${word} ${next}`) % this.dim, 0.5);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
    return v;
  }
}

function bump(v: Float32Array, at: number, by: number): void {
  v[at] = (v[at] ?? 0) + by;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
