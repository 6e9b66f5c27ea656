// all-MiniLM-L6-v2 (the real weights, fp32 and int8) through the app's embedder: sentences per
// second on WebAssembly in a Chromium worker (1 and 2 threads), on WebGPU (SwiftShader here) and
// natively through onnxruntime-node in Node, on the same generated math questions at the same
// batch sizes, and WASM / native at the same batch and threads. Each WASM figure is taken right
// after its native one, so their ratio shares the machine's load of the moment. Before and after
// the embedder grouped a call's texts by length, on the pipeline's own call of 64 questions.
import type { BenchRow } from '../scripts/bench';
import { DEFAULT_BATCH_SIZE, TransformersEmbedder } from '../src/lib/engines/transformersEmbedder';
import { miniLM } from '../test/fixtures/realModels';
import { MODELS_PATH, openBenchPage } from './embedderBrowser';
import { sentencesPerSecond } from './embedderTiming';
import { mathQuestions } from './mathQuestions';

const PORT = 5211;
const DTYPES = ['q8', 'fp32'] as const;
const THREADS = [1, 2] as const;
const BATCHES = [1, 8, 32] as const;
const ROUNDS = 1;
/** Native and WASM take turns this many times; each keeps its fastest. */
const TURNS = 2;
const TEXTS = mathQuestions(24);
/** What the pipeline hands the embedder in one call at most (the scheduler's and the benchmark loader's). */
const APP_CALL = mathQuestions(64, 11);
/** SwiftShader runs WebGPU on the CPU, at seconds a sentence: one says what it does. */
const WEBGPU_TEXTS = TEXTS.slice(0, 1);

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** The fastest of each, measured in turns so a burst of load on the machine spares one turn. */
async function inTurns(
  first: () => Promise<number>,
  second: () => Promise<number>,
): Promise<[number, number]> {
  let best: [number, number] = [0, 0];
  for (let turn = 0; turn < TURNS; turn++) {
    const a = await first();
    const b = await second();
    best = [Math.max(best[0], a), Math.max(best[1], b)];
  }
  return best;
}

let started = performance.now();
/** Progress on stderr with BENCH_VERBOSE set. */
function say(what: string): void {
  if (process.env.BENCH_VERBOSE)
    console.error(`embedder bench ${((performance.now() - started) / 1000).toFixed(1)} s: ${what}`);
}

export default async function bench(): Promise<BenchRow[]> {
  started = performance.now();
  const { root, modelId } = await miniLM();
  const rows: BenchRow[] = [];
  const native = new Map<string, TransformersEmbedder>();
  const nativeOf = (dtype: string, threads: number): TransformersEmbedder => {
    const embedder = native.get(`${dtype}-${threads}`);
    if (!embedder) throw new Error(`no native ${dtype} embedder on ${threads} threads`);
    return embedder;
  };
  const browser = await openBenchPage(root, PORT);
  const { page } = browser;
  const load = (worker: string, key: string, request: object) =>
    page.evaluate(([w, k, r]) => window.embedderBench(w).load(k, r), [
      worker,
      key,
      request,
    ] as const);
  const speed = (worker: string, key: string, texts: string[], batch: number, rounds = ROUNDS) =>
    page.evaluate(([w, k, t, b, r]) => window.embedderBench(w).speed(k, t, b, r), [
      worker,
      key,
      texts,
      batch,
      rounds,
    ] as const);
  const embedIn = (worker: string, key: string, texts: string[]) =>
    page.evaluate(([w, k, t]) => window.embedderBench(w).embed(k, t), [
      worker,
      key,
      texts,
    ] as const);
  try {
    for (const dtype of DTYPES)
      for (const threads of THREADS) {
        // 32 a batch at most, so that a call of `batch` texts is one inference of `batch`.
        const options = { model: modelId, dtype, threads, batchSize: 32 };
        say(`loading ${dtype} on ${threads} threads`);
        native.set(
          `${dtype}-${threads}`,
          await TransformersEmbedder.load({ ...options, localPath: root, allowRemote: false }),
        );
        // One worker per thread count: the first model a worker loads fixes its threads.
        const { isolated } = await load(`wasm-${threads}`, dtype, {
          ...options,
          url: MODELS_PATH,
          device: 'wasm',
        });
        if (!isolated) throw new Error('the bench page is not cross-origin isolated');
      }

    say('loaded');
    // Same model files, same texts: the two paths must give the same vectors.
    const probe = TEXTS.slice(0, 4);
    for (const dtype of DTYPES) {
      const inBrowser = await embedIn('wasm-1', dtype, probe);
      const inNode = await nativeOf(dtype, 1).embed(probe);
      rows.push({
        name: `${dtype}: cosine WASM vs native, least of 4`,
        value: Math.min(...inBrowser.map((v, i) => cosine(v, inNode[i] ?? []))),
        unit: 'cosine',
      });
    }

    for (const dtype of DTYPES)
      for (const threads of THREADS)
        for (const batch of BATCHES) {
          const nativeSpeed = await sentencesPerSecond(
            nativeOf(dtype, threads),
            TEXTS,
            batch,
            ROUNDS,
          );
          const wasmSpeed = await speed(`wasm-${threads}`, dtype, TEXTS, batch);
          const label = `${dtype} ${threads}t batch ${batch}`;
          say(`${label}: ${nativeSpeed.toFixed(1)} native, ${wasmSpeed.toFixed(1)} WASM`);
          rows.push(
            { name: `${label}: WASM`, value: wasmSpeed, unit: 'sentences/s' },
            { name: `${label}: native`, value: nativeSpeed, unit: 'sentences/s' },
            { name: `${label}: WASM / native`, value: wasmSpeed / nativeSpeed, unit: 'x' },
          );
        }

    // The pipeline's own call, 64 questions at once, on the app's dtype and one thread: before,
    // the embedder ran them 32 at a time in the order given (what a call of 32 does now); now
    // it groups them by length, in batches of the app's default size.
    const appOptions = { model: modelId, dtype: 'q8', threads: 1 } as const;
    await load('wasm-1', 'app', { ...appOptions, url: MODELS_PATH, device: 'wasm' });
    native.set(
      'app',
      await TransformersEmbedder.load({ ...appOptions, localPath: root, allowRemote: false }),
    );
    const appCases = [
      { label: 'in order, 32 a batch (before)', key: 'q8', batch: 32 },
      { label: 'by length, 32 a batch', key: 'q8', batch: APP_CALL.length },
      {
        label: `by length, ${DEFAULT_BATCH_SIZE} a batch (app now)`,
        key: 'app',
        batch: APP_CALL.length,
      },
    ];
    for (const { label, key, batch } of appCases) {
      const embedder = native.get(key === 'q8' ? 'q8-1' : key);
      if (!embedder) throw new Error(`no native ${key}`);
      const [nativeSpeed, wasmSpeed] = await inTurns(
        () => sentencesPerSecond(embedder, APP_CALL, batch, ROUNDS),
        () => speed('wasm-1', key, APP_CALL, batch),
      );
      say(`app call ${label}: ${nativeSpeed.toFixed(1)} native, ${wasmSpeed.toFixed(1)} WASM`);
      rows.push(
        { name: `q8 1t call of 64 ${label}: WASM`, value: wasmSpeed, unit: 'sentences/s' },
        { name: `q8 1t call of 64 ${label}: native`, value: nativeSpeed, unit: 'sentences/s' },
      );
    }

    await load('webgpu', 'fp32', {
      model: modelId,
      url: MODELS_PATH,
      device: 'webgpu',
      dtype: 'fp32',
    });
    rows.push({
      name: 'fp32 WebGPU batch 1',
      value: await speed('webgpu', 'fp32', WEBGPU_TEXTS, 1),
      unit: 'sentences/s',
      note: 'SwiftShader: WebGPU on the CPU',
    });
  } finally {
    await browser.close();
    for (const embedder of native.values()) await embedder.dispose();
  }
  return rows;
}
