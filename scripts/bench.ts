// `npm run bench`: runs every bench/*.bench.ts and prints one table.
// A bench module's default export returns rows; figures depend on the machine, so the
// table names it.
import { readdirSync } from 'node:fs';
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
console.log(
  `machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
for (const file of files) {
  const mod = (await import(pathToFileURL(resolve(dir, file)).href)) as {
    default: () => Promise<BenchRow[]>;
  };
  const rows = await mod.default();
  console.log(`\n${file}`);
  for (const row of rows) {
    const value = row.value >= 100 ? row.value.toFixed(0) : row.value.toPrecision(3);
    console.log(
      `  ${row.name.padEnd(48)} ${value.padStart(10)} ${row.unit}${row.note ? `  (${row.note})` : ''}`,
    );
  }
}
