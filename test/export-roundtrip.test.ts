import fc from 'fast-check';
import { exactAgreement } from '../src/lib/crescent/agreement';
import { describe, expect, it } from 'vitest';
import type { QaPairRecord } from '../src/lib/crescent/types';
import { EXPORT_FORMATS, exportStream, parseDataset, parseDatasetStream } from '../src/lib/export';

// Characters that break naive JSONL writers or readers, mixed into arbitrary Unicode.
const awkward = fc.constantFrom(
  '\n',
  '\r\n',
  '"',
  '\\',
  '🍎',
  '👩‍👩‍👧',
  '\u2028',
  '\u2029',
  '\u0085',
  '\uFEFF',
  '\t',
  '\u0000',
  '}',
  '{"',
);
const text = fc
  .array(fc.oneof(awkward, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));
const questionText = text.filter((q) => q.trim() !== '');

// A vote as a run stores it: no answer has more votes than samples drawn, none drawn past k.
const voteArb = fc.integer({ min: 1, max: 5 }).chain((k) =>
  fc.integer({ min: 0, max: k }).chain((samples) =>
    fc.record({
      k: fc.constant(k),
      samples: fc.constant(samples),
      votes: fc.dictionary(text, fc.integer({ min: 0, max: samples }), { maxKeys: 3 }),
      minVotes: fc.integer({ min: 0, max: k }),
      passes: fc.boolean(),
    }),
  ),
);

const pairArb: fc.Arbitrary<QaPairRecord> = fc
  .record({
    runId: fc.constantFrom('run-a', 'run-b'),
    questionSeq: fc.nat(10_000),
    question: questionText,
    answerText: text,
    answer: fc.option(text, { nil: null }),
    vote: voteArb,
    abstained: fc.nat(3),
    model: fc.string({ minLength: 1 }),
    createdAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  })
  .map(({ vote, ...rest }) => {
    const counted = { ...vote, answer: rest.answer };
    return { ...rest, ...vote, agreement: exactAgreement(counted) };
  });

/** What Python's str.splitlines() breaks on, besides '\n'. */
const SPLITLINES_BREAKS = new Set([
  '\r',
  '\v',
  '\f',
  '\x1c',
  '\x1d',
  '\x1e',
  '\x85',
  '\u2028',
  '\u2029',
]);

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The bytes cut at the given (sorted, deduplicated) offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.slice(from, p));
    from = p;
  }
  return chunks;
}

// Preference records need samples and a split vote: test/export-dpo.test.ts has their round trip.
const PAIR_FORMATS = EXPORT_FORMATS.filter((f) => f !== 'dpo');

describe('export then import gives back the same pairs', () => {
  it.each(PAIR_FORMATS)(
    'in the %s format, from text and from a stream cut anywhere',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(pairArb, { minLength: 1, maxLength: 12 }),
          fc.array(fc.nat(), { maxLength: 6 }),
          async (pairs, offsets) => {
            const bytes = await bytesOf(exportStream(pairs, { format }));
            const fromText = parseDataset(new TextDecoder().decode(bytes));
            expect(fromText.errors).toEqual([]);
            expect(fromText.ok).toBe(true);
            expect(fromText.format).toBe(format);
            expect(fromText.rows.map((r) => [r.line, r.question, r.answerText])).toEqual(
              pairs.map((p, i) => [i + 1, p.question, p.answerText]),
            );
            if (format === 'full') {
              const vote = (r: Partial<QaPairRecord>) => [
                r.answer,
                r.votes,
                r.samples,
                r.k,
                r.minVotes,
                r.passes,
                r.model,
              ];
              expect(fromText.rows.map(vote)).toEqual(pairs.map(vote));
              expect(fromText.rows.map((r) => r.createdAt)).toEqual(pairs.map((p) => p.createdAt));
            }
            expect(await parseDatasetStream(cut(bytes, offsets))).toEqual(fromText);
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('writes one physical line per pair, whatever the text holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pairArb, { maxLength: 12 }), async (pairs) => {
        for (const format of PAIR_FORMATS) {
          const body = new TextDecoder().decode(await bytesOf(exportStream(pairs, { format })));
          // Python's str.splitlines() also breaks on these; none may appear unescaped.
          const breakers = [...body].filter((c) => SPLITLINES_BREAKS.has(c));
          expect(breakers).toEqual([]);
          expect(body.split('\n')).toHaveLength(pairs.length + 1);
        }
      }),
      { numRuns: 40 },
    );
  });
});
