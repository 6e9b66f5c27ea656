import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleVectorScan, toHex, WAT_PATH } from '../scripts/assemble-vector-scan';
import { createRandom } from '../src/lib/crescent/random';
import { QUERY_BLOCK, scanModule, WasmRows } from '../src/lib/crescent/vectorScan';
import { VECTOR_SCAN_WASM_HEX } from '../src/lib/crescent/vectorScanWasm';

function unitVector(dim: number, random: { next(): number }): Float32Array {
  const v = Float32Array.from({ length: dim }, () => random.next() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

describe('the vector scan kernel', () => {
  it('ships exactly the bytes vectorScan.wat assembles to', async () => {
    const bytes = await assembleVectorScan(readFileSync(WAT_PATH, 'utf8'));
    expect(toHex(bytes)).toBe(VECTOR_SCAN_WASM_HEX);
  });

  it('finds with its estimate what computing every row exactly finds', () => {
    const kernel = scanModule();
    if (!kernel) throw new Error('Node has WebAssembly SIMD');
    const random = createRandom(5);
    for (const dim of [1, 7, 16, 100, 384]) {
      const rows = new WasmRows(dim, 1, kernel);
      const count = 300;
      rows.reserve(count);
      for (let i = 0; i < count; i++) rows.write(i, unitVector(dim, random));
      const queries = Array.from({ length: QUERY_BLOCK + 3 }, () => unitVector(dim, random));
      const estimated = rows.nearestMany(queries, count);
      expect(estimated).toEqual(rows.nearestMany(queries, count, false));
      expect(estimated.every((n) => n !== null && n.index < count)).toBe(true);
    }
  });
});
