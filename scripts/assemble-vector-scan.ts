// Assembles src/lib/crescent/vectorScan.wat into vectorScanWasm.ts, the bytes the app ships:
// `npx tsx scripts/assemble-vector-scan.ts`. A test assembles the .wat again and checks the
// committed bytes are what it gives, so the two cannot drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import wabt from 'wabt';

export const WAT_PATH = resolve('src/lib/crescent/vectorScan.wat');
const TS_PATH = resolve('src/lib/crescent/vectorScanWasm.ts');

export async function assembleVectorScan(
  wat = readFileSync(WAT_PATH, 'utf8'),
): Promise<Uint8Array> {
  const { parseWat } = await wabt();
  const module = parseWat('vectorScan.wat', wat, { simd: true });
  try {
    module.validate();
    return module.toBinary({ canonicalize_lebs: true, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const bytes = await assembleVectorScan();
  writeFileSync(
    TS_PATH,
    [
      '// Generated from vectorScan.wat by scripts/assemble-vector-scan.ts; do not edit.',
      `export const VECTOR_SCAN_WASM_HEX =\n  '${toHex(bytes)}';`,
      '',
    ].join('\n'),
  );
  console.log(`${TS_PATH}: ${bytes.length} bytes`);
}
