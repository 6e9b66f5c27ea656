// The real all-MiniLM-L6-v2 on ../shared/evals/neardup_pairs.jsonl: the cosine of every pair, its
// distribution per label, and what share of each kind the paper's threshold (0.875) and others
// would reject as too similar. Embeds the way a run does (mean pooling, unit length; int8, the
// app's setting on WebAssembly, and fp32, its setting on WebGPU).
// GSM-Hard's rows are paired by line number with GSM8K test questions, and most of those pairs are
// different problems (GSM-Hard's order drifted), so each GSM-Hard question is also measured
// against its nearest GSM8K test question, as a run's index would find it.
// Run: npx tsx scripts/neardup-minilm.ts [evals folder]
import { env, pipeline } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { miniLM } from '../test/fixtures/realModels';

const dir = process.argv[2] ?? '../shared/evals';
const THRESHOLDS = [0.8, 0.85, 0.875, 0.9, 0.95];
const pairs = readFileSync(`${dir}/neardup_pairs.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { a: string; b: string; label: string });

const { root, modelId } = await miniLM();
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = root;

const gsm8k = readFileSync(`${dir}/gsm8k_test.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { question: string }).question);
const HARD = 'gsm-hard:numbers-replaced';
const texts = [...new Set([...pairs.flatMap((p) => [p.a, p.b]), ...gsm8k])];
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

for (const dtype of ['q8', 'fp32'] as const) {
  const extract = await pipeline('feature-extraction', modelId, { dtype });
  const vectors = new Map<string, Float32Array>();
  const started = performance.now();
  for (let i = 0; i < texts.length; i += 32) {
    const batch = texts.slice(i, i + 32);
    const out = await extract(batch, { pooling: 'mean', normalize: true });
    const data = out.data as Float32Array;
    const dim = data.length / batch.length;
    batch.forEach((t, j) => vectors.set(t, data.slice(j * dim, (j + 1) * dim)));
  }
  const seconds = (performance.now() - started) / 1000;
  const byLabel = new Map<string, number[]>();
  for (const p of pairs) {
    const a = vectors.get(p.a)!;
    const b = vectors.get(p.b)!;
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
    const list = byLabel.get(p.label) ?? [];
    list.push(dot);
    byLabel.set(p.label, list);
  }
  const hard = pairs.filter((p) => p.label === HARD).map((p) => p.b);
  const nearest = hard.map((q) => {
    const v = vectors.get(q)!;
    let best = -1;
    for (const g of gsm8k) {
      const w = vectors.get(g)!;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * w[i]!;
      best = Math.max(best, dot);
    }
    return best;
  });
  byLabel.set(`${HARD} (nearest GSM8K test question)`, nearest);
  console.log(
    `\n### ${dtype}: ${pairs.length} pairs, ${texts.length} texts embedded in ${seconds.toFixed(1)} s\n`,
  );
  console.log(
    `| Label | Pairs | Median | p10 | p90 | ${THRESHOLDS.map((t) => `>= ${t}`).join(' | ')} |`,
  );
  console.log(`|---|---|---|---|---|${THRESHOLDS.map(() => '---').join('|')}|`);
  for (const [label, list] of [...byLabel].sort((x, y) => x[0].localeCompare(y[0]))) {
    const sorted = [...list].sort((x, y) => x - y);
    const shares = THRESHOLDS.map((t) => pct(list.filter((c) => c >= t).length / list.length));
    console.log(
      `| ${label} | ${list.length} | ${quantile(sorted, 0.5).toFixed(3)} | ${quantile(sorted, 0.1).toFixed(3)} | ${quantile(sorted, 0.9).toFixed(3)} | ${shares.join(' | ')} |`,
    );
  }
}
