// `npm run bench`: runs every bench/*.bench.ts, prints one table and writes bench/results.json.
// A bench module's default export returns rows; figures depend on the machine, so the
// table and the file name it.
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const only = process.argv[2];
const dir = resolve('bench');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}`);
const results: { bench: string; seconds: number; rows: BenchRow[] }[] = [];
const nodeEnv = process.env.NODE_ENV;
for (const file of files) {
  const mod = (await import(pathToFileURL(resolve(dir, file)).href)) as {
    default: () => Promise<BenchRow[]>;
  };
  const started = performance.now();
  const rows = await mod.default();
  const seconds = (performance.now() - started) / 1000;
  // A Vite dev server sets NODE_ENV to 'development' for the whole process; a later bench's
  // build would then come out a development build (no service worker registered, workbox's
  // debug code), so each bench starts from the environment the runner had.
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  results.push({ bench: file, seconds, rows });
  console.log(`\n${file} (${seconds.toFixed(0)} s)`);
  for (const row of rows) {
    const value = row.value >= 100 ? row.value.toFixed(0) : row.value.toPrecision(3);
    console.log(
      `  ${row.name.padEnd(54)} ${value.padStart(10)} ${row.unit}${row.note ? `  (${row.note})` : ''}`,
    );
  }
}
// One file per run of all the benches; a run of some of them leaves the last full one alone.
const out = resolve(dir, only ? `results-${only}.json` : 'results.json');
writeFileSync(
  out,
  `${JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(`\nwritten to ${out}`);
