// Export and import throughput: 10k and 100k realistic pairs through the byte stream the UI
// turns into a Blob, per format, and the same file parsed back.
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../src/lib/crescent/types';
import {
  EXPORT_FORMATS,
  exportStream,
  parseDatasetStream,
  questionContext,
  type ExportFormat,
} from '../src/lib/export';
import type { BenchRow } from '../scripts/bench';

const ANSWER = `Let the number of apples be a. Tom starts with 12 apples and gives away 5, leaving 12 - 5 = 7.
He then buys 3 bags of 4 apples each, which is 3 × 4 = 12 more apples.
In total he has 7 + 12 = 19 apples.

#### Answer: 19`;

function pairs(count: number): QaPairRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    runId: 'bench-run',
    questionSeq: i * 2,
    question: `Tom has ${12 + i} apples and gives away 5. He then buys 3 bags with 4 apples in each bag. How many apples does Tom have now? (variant ${i})`,
    answerText: ANSWER,
    answer: String(19 + i),
    votes: { [String(19 + i)]: 2, '-1': 1 },
    abstained: 0,
    samples: 3,
    k: 3,
    agreement: 2 / 3,
    minVotes: 0,
    passes: true,
    model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
    createdAt: 1_767_225_600_000 + i * 1000,
  }));
}

function questions(count: number): QuestionRecord[] {
  return Array.from({ length: count * 2 }, (_, seq) => ({
    runId: 'bench-run',
    seq,
    origin: seq % 4 === 2 ? 'rewrite' : 'bait',
    attempt: 0,
    raw: '',
    text: 'q',
    status: seq % 2 === 0 ? 'accepted' : 'rejected',
    tokens: 40,
    createdAt: 0,
  }));
}

/** A pair's three samples: two agree with its answer, one says -1 (the preference format's rejected reply). */
function samplesOf(pair: QaPairRecord): AnswerSampleRecord[] {
  return [pair.answer, pair.answer, '-1'].map((answer, index) => ({
    runId: pair.runId,
    questionSeq: pair.questionSeq,
    index,
    raw: `${ANSWER.slice(0, -2)}${answer}`,
    answer,
    tokens: 60,
    thinkingTokens: 0,
    finishReason: 'stop',
    createdAt: pair.createdAt,
  }));
}

async function drain(
  stream: ReadableStream<Uint8Array>,
): Promise<{ bytes: number; chunks: Uint8Array[] }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks.push(r.value);
    bytes += r.value.length;
  }
  return { bytes, chunks };
}

async function timeFormat(
  data: QaPairRecord[],
  format: ExportFormat,
  records: QuestionRecord[],
): Promise<BenchRow[]> {
  const n = data.length;
  const started = performance.now();
  const context =
    format === 'full'
      ? questionContext(records, new Map([['bench-run', 'a1b2c3d4e5f6']]))
      : undefined;
  const { bytes, chunks } = await drain(
    exportStream(data, { format, context, samples: format === 'dpo' ? samplesOf : undefined }),
  );
  const exportMs = performance.now() - started;

  const parseStarted = performance.now();
  const result = await parseDatasetStream(chunks);
  const importMs = performance.now() - parseStarted;
  if (!result.ok || result.rows.length !== n) throw new Error(`${format}: import lost rows`);

  const size = `${n / 1000}k`;
  const mib = (bytes / 2 ** 20).toFixed(1);
  return [
    { name: `export ${format} ${size} pairs`, value: exportMs, unit: 'ms', note: `${mib} MiB` },
    { name: `export ${format} ${size} pairs rate`, value: n / (exportMs / 1000), unit: 'pairs/s' },
    { name: `import ${format} ${size} pairs`, value: importMs, unit: 'ms' },
    { name: `import ${format} ${size} pairs rate`, value: n / (importMs / 1000), unit: 'pairs/s' },
  ];
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // One warm-up pass so the figures measure steady-state code, not the JIT.
  await timeFormat(pairs(2000), 'full', questions(2000));
  for (const count of [10_000, 100_000]) {
    const data = pairs(count);
    const records = questions(count);
    for (const format of EXPORT_FORMATS) rows.push(...(await timeFormat(data, format, records)));
  }
  return rows;
}
