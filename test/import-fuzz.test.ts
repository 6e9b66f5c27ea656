import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDataset, parseDatasetStream } from '../src/lib/export';

const goodLine = fc
  .record({
    question: fc.string({ unit: 'grapheme', minLength: 1 }).filter((q) => q.trim() !== ''),
    answer: fc.string({ unit: 'grapheme' }),
  })
  .map((row) => JSON.stringify(row));

const huge = 'x'.repeat(200_000);

// Each of these is a line the importer must refuse; none contains a line break.
const badLine = fc.oneof(
  goodLine.chain((line) =>
    fc.integer({ min: 1, max: line.length - 1 }).map((end) => line.slice(0, end)),
  ),
  fc.array(fc.jsonValue(), { maxLength: 3 }).map((items) => JSON.stringify(items)),
  fc.double().map((n) => JSON.stringify(n)),
  fc.constantFrom(
    'null',
    'true',
    '"just a string"',
    '{}',
    '{"question":"Q"}',
    '{"answer":"A"}',
    '{"question":"","answer":"A"}',
    '{"question":"Q","answer":null}',
    '{"question":["Q"],"answer":"A"}',
    '{"messages":[{"role":"user","content":"Q"}]}',
    '{"conversations":{"from":"human"}}',
    '{"instruction":"Q","output":5}',
    '{"question":"\\udc00","answer":"A"}',
    '{"question":"\\ud83d","answer":"A"}',
    '{"question":"Q\\ud800","answer":"A"}',
    '{"question":"Q","answer":"\\udfff"}',
    `{"question":"${huge}"}`,
    `{"question":"${huge}","answer":`,
    `[${'"x",'.repeat(20_000)}1]`,
  ),
  fc
    .string({ unit: 'binary', minLength: 1 })
    .filter((s) => !s.includes('\n') && s.trim() !== '' && !isGood(s)),
);

function isGood(line: string): boolean {
  const result = parseDataset(line);
  return result.rows.length > 0;
}

const lineKinds = fc.array(
  fc.oneof(
    goodLine.map((text) => ({ good: true, blank: false, text })),
    badLine.map((text) => ({ good: false, blank: false, text })),
    fc.constantFrom('', '   ', '\t').map((text) => ({ good: false, blank: true, text })),
  ),
  { minLength: 1, maxLength: 25 },
);

describe('the importer on broken files', () => {
  it('never throws, reports every bad line by number, and still counts the good ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        lineKinds,
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 97 }),
        async (lines, eol, chunkSize) => {
          const text = lines.map((l) => l.text).join(eol);
          const result = parseDataset(text);
          const numbered = lines.map((l, i) => ({ ...l, line: i + 1 }));
          const bad = numbered.filter((l) => !l.good && !l.blank).map((l) => l.line);
          const good = numbered.filter((l) => l.good).map((l) => l.line);
          expect(result.errors.map((e) => e.line)).toEqual(bad);
          expect(result.rows.map((r) => r.line)).toEqual(good);
          expect(result.ok).toBe(bad.length === 0 && good.length > 0);
          for (const error of result.errors) {
            expect(error.reason.length).toBeGreaterThan(0);
            expect(error.reason.length).toBeLessThanOrEqual(201);
          }
          const pieces = text.match(new RegExp(`[\\s\\S]{1,${chunkSize}}`, 'g')) ?? [];
          expect(await parseDatasetStream(pieces)).toEqual(result);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a 100k-line file whole, every line a row', () => {
    const line = JSON.stringify({ question: 'How many sides has a hexagon?', answer: '6' });
    const lines = Array.from({ length: 100_000 }, (_, i) =>
      line.replace('hexagon', `hexagon ${i}`),
    );
    // Speed is measured by npm run bench, not asserted here: a loaded machine would fail it.
    const result = parseDataset(lines.join('\n'));
    expect(result.rows).toHaveLength(100_000);
    expect(result.rows.at(-1)?.question).toBe('How many sides has a hexagon 99999?');
    expect(result.ok).toBe(true);
  });
});
