// Agreement of the answer rules with gold answers on real published completions
// (../shared/evals/answers.jsonl.gz, described in SOURCES.md beside it).
// Usage: npx tsx scripts/eval-extraction.ts [--misses robust|paper] [--model <substring>]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { extractAnswer, type AnswerMode } from '../src/lib/crescent/extractAnswer';

export const EVALS_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../shared/evals/answers.jsonl.gz',
);

export interface EvalRow {
  source: string;
  model: string;
  question_id: string;
  question: string;
  gold: string;
  completion: string;
}

export function loadEvalRows(path: string = EVALS_PATH): EvalRow[] | null {
  if (!existsSync(path)) return null;
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  return lines.filter((line) => line.trim().length > 0).map((line) => JSON.parse(line) as EvalRow);
}

export interface Agreement {
  rows: number;
  robust: number;
  paper: number;
}

export interface AgreementReport {
  gsm8k: Agreement;
  math: Agreement;
  byModel: Map<string, Agreement>;
}

/** Gold is read with the robust rule for both, so both rules are scored against the same target. */
export function agrees(row: EvalRow, mode: AnswerMode): boolean {
  const gold = extractAnswer(row.gold);
  return gold !== null && extractAnswer(row.completion, { mode }) === gold;
}

export function isMath(row: EvalRow): boolean {
  return row.question_id.startsWith('math-l5');
}

export function measureAgreement(rows: readonly EvalRow[]): AgreementReport {
  const empty = (): Agreement => ({ rows: 0, robust: 0, paper: 0 });
  const report: AgreementReport = { gsm8k: empty(), math: empty(), byModel: new Map() };
  for (const row of rows) {
    const key = isMath(row) ? `${row.model} (MATH L5)` : row.model;
    const model = report.byModel.get(key) ?? empty();
    report.byModel.set(key, model);
    for (const tally of [isMath(row) ? report.math : report.gsm8k, model]) {
      tally.rows++;
      if (agrees(row, 'robust')) tally.robust++;
      if (agrees(row, 'paper')) tally.paper++;
    }
  }
  return report;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(2)}%`;
}

function printTable(report: AgreementReport): void {
  const line = (name: string, a: Agreement): string =>
    `${name.padEnd(58)} ${String(a.rows).padStart(6)}  ${percent(a.robust, a.rows).padStart(8)}  ${percent(a.paper, a.rows).padStart(8)}`;
  console.log(
    `${'model'.padEnd(58)} ${'rows'.padStart(6)}  ${'robust'.padStart(8)}  ${'paper'.padStart(8)}`,
  );
  for (const [name, a] of [...report.byModel].sort((x, y) => x[0].localeCompare(y[0]))) {
    console.log(line(name, a));
  }
  console.log(line('GSM8K overall', report.gsm8k));
  console.log(line('MATH level 5 overall', report.math));
}

function main(args: readonly string[]): void {
  const rows = loadEvalRows();
  if (rows === null) {
    console.error(`No eval data at ${EVALS_PATH}.`);
    process.exitCode = 1;
    return;
  }
  const missesFor = args[args.indexOf('--misses') + 1];
  const modelFilter = args.includes('--model') ? args[args.indexOf('--model') + 1] : undefined;
  const selected = modelFilter ? rows.filter((r) => r.model.includes(modelFilter)) : rows;
  if (args.includes('--misses') && (missesFor === 'robust' || missesFor === 'paper')) {
    // Rows this rule gets wrong while the other one gets right: where a fix is worth looking for.
    const other: AnswerMode = missesFor === 'robust' ? 'paper' : 'robust';
    for (const row of selected.filter((r) => !agrees(r, missesFor) && agrees(r, other))) {
      console.log(`--- ${row.model} ${row.question_id} gold=${row.gold}`);
      console.log(
        `robust=${extractAnswer(row.completion)} paper=${extractAnswer(row.completion, { mode: 'paper' })}`,
      );
      console.log(row.completion.slice(-600));
    }
    return;
  }
  printTable(measureAgreement(selected));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
