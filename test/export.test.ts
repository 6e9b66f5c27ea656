import { describe, expect, it } from 'vitest';
import type { QaPairRecord, QuestionRecord } from '../src/lib/crescent/types';
import { CrescentError } from '../src/lib/crescent/errors';
import {
  EXPORT_FORMATS,
  ExportTally,
  exportBlobParts,
  exportLines,
  exportStream,
  keepPair,
  parseDataset,
  undecidedAgreement,
  questionContext,
  rejectedLines,
} from '../src/lib/export';

function pair(over: Partial<QaPairRecord> = {}): QaPairRecord {
  return {
    runId: 'run-a',
    questionSeq: 0,
    question: 'Tom has 3 apples and buys 4 more. How many apples does he have?',
    answerText: 'He has 3 + 4 = 7 apples.\n\n#### Answer: 7',
    answer: '7',
    votes: { '7': 3 },
    abstained: 0,
    samples: 3,
    k: 3,
    agreement: 1,
    minVotes: 0,
    passes: true,
    model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
    createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    ...over,
  };
}

function question(over: Partial<QuestionRecord>): QuestionRecord {
  return {
    runId: 'run-a',
    seq: 0,
    origin: 'bait',
    attempt: 0,
    raw: 'Problem: ...',
    text: 'A question?',
    status: 'accepted',
    tokens: 20,
    createdAt: 0,
    ...over,
  };
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('export formats', () => {
  it('writes the full record with snake_case keys, run facts and provenance', async () => {
    const questions = [
      question({ seq: 0, status: 'rejected', reason: 'too-similar' }),
      question({ seq: 1, status: 'rejected', reason: 'no-question' }),
      question({ seq: 2, origin: 'rewrite', parentSeq: 0, attempt: 1 }),
    ];
    const context = questionContext(questions, new Map([['run-a', 'recipe-123']]));
    const [line] = await collect(
      exportLines([pair({ questionSeq: 2 })], { format: 'full', context }),
    );
    expect(JSON.parse(line ?? '')).toEqual({
      question: 'Tom has 3 apples and buys 4 more. How many apples does he have?',
      answer_text: 'He has 3 + 4 = 7 apples.\n\n#### Answer: 7',
      final_answer: '7',
      votes: { '7': 3 },
      abstained: 0,
      samples: 3,
      k: 3,
      agreement: 1,
      agreement_range: [1, 1],
      min_votes: 0,
      passes_bar: true,
      contamination: null,
      original: null,
      model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
      recipe_id: 'recipe-123',
      run_id: 'run-a',
      question_seq: 2,
      rejected_before: 2,
      provenance: {
        generator: 'crescent-web',
        method: 'crescent',
        origin: 'rewrite',
        edited: false,
        created_at: '2026-01-02T03:04:05.000Z',
      },
    });
  });

  it('writes a decontamination flag with the matched benchmark question and the rule', async () => {
    const flagged = pair({
      contamination: {
        benchmark: 'gsm8k-test',
        index: 41,
        question: 'Tom has # apples and buys # more.',
        by: 'ngram',
        ngram: 'tom has # apples and buys # more how',
      },
    });
    const [line] = await collect(exportLines([flagged], { format: 'full' }));
    expect((JSON.parse(line ?? '') as Record<string, unknown>)['contamination']).toEqual({
      benchmark: 'gsm8k-test',
      benchmark_index: 41,
      benchmark_question: 'Tom has # apples and buys # more.',
      rule: 'ngram',
      ngram: 'tom has # apples and buys # more how',
      similarity: null,
    });
  });

  it('leaves run facts null when the caller has no questions for the run', async () => {
    const [line] = await collect(exportLines([pair()], { format: 'full' }));
    const parsed = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(parsed['recipe_id']).toBeNull();
    expect(parsed['rejected_before']).toBeNull();
    expect(parsed['provenance']).toMatchObject({ origin: null });
  });

  it('writes k and agreement as null, not 0, for a pair imported without votes, and reads them back as unknown', async () => {
    const imported = pair({
      answer: '7',
      votes: {},
      samples: 0,
      k: 0,
      agreement: null,
      model: 'unknown',
    });
    const context = questionContext([question({ seq: 0 })], new Map());
    const [line] = await collect(exportLines([imported], { format: 'full', context }));
    const parsed = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(parsed).toMatchObject({ final_answer: '7', votes: {}, samples: 0 });
    expect(parsed['k']).toBeNull();
    expect(parsed['agreement']).toBeNull();
    expect(parsed['agreement_range']).toBeNull();
    expect(parsed['min_votes']).toBeNull();
    expect(parsed['passes_bar']).toBeNull();
    expect(parsed['provenance']).toMatchObject({ method: 'imported', origin: null });
    const back = parseDataset(line ?? '');
    expect(back.errors).toEqual([]);
    expect(back.rows[0]?.answer).toBe('7');
    expect(back.rows[0]?.k).toBeUndefined();
    expect(back.rows[0]?.minVotes).toBeUndefined();
  });

  it('writes an early-stopped vote as a range, never as its lower bound', async () => {
    const early = pair({ votes: { '7': 2 }, samples: 2, agreement: null });
    const [line] = await collect(exportLines([early], { format: 'full' }));
    expect(JSON.parse(line ?? '')).toMatchObject({
      votes: { '7': 2 },
      samples: 2,
      k: 3,
      agreement: null,
      agreement_range: [2 / 3, 1],
      passes_bar: true,
    });
  });

  it('writes the bar and a failed vote with the range its winner can end in', async () => {
    const failed = pair({
      answer: '7',
      votes: { '7': 1, '8': 1 },
      samples: 2,
      minVotes: 3,
      passes: false,
      agreement: null,
    });
    const [line] = await collect(exportLines([failed], { format: 'full' }));
    expect(JSON.parse(line ?? '')).toMatchObject({
      agreement: null,
      agreement_range: [1 / 3, 2 / 3],
      min_votes: 3,
      passes_bar: false,
    });
  });

  it('writes the openai, sharegpt and alpaca shapes', async () => {
    const p = pair({ question: 'Q?', answerText: 'A.' });
    const [openai] = await collect(exportLines([p], { format: 'openai' }));
    const [sharegpt] = await collect(exportLines([p], { format: 'sharegpt' }));
    const [alpaca] = await collect(exportLines([p], { format: 'alpaca' }));
    expect(openai).toBe(
      '{"messages":[{"role":"user","content":"Q?"},{"role":"assistant","content":"A."}]}\n',
    );
    expect(sharegpt).toBe(
      '{"conversations":[{"from":"human","value":"Q?"},{"from":"gpt","value":"A."}]}\n',
    );
    expect(alpaca).toBe('{"instruction":"Q?","input":"","output":"A."}\n');
  });

  it('escapes line and paragraph separators so every reader sees one line per pair', async () => {
    const p = pair({ question: 'a\u2028b\u2029c\u0085d\ne' });
    for (const format of EXPORT_FORMATS.filter((f) => f !== 'dpo')) {
      const [line] = await collect(exportLines([p], { format }));
      expect(line).not.toMatch(/[\u2028\u2029\u0085]/);
      expect(line?.split('\n')).toHaveLength(2);
      expect(JSON.stringify(JSON.parse(line ?? ''))).toContain('a\u2028b\u2029c\u0085d\\ne');
    }
  });
});

describe('export filters', () => {
  it('keeps a pair exactly at the minimum agreement and drops one below it', () => {
    const twoOfThree = pair({ votes: { '7': 2, '8': 1 } });
    const oneOfThree = pair({ votes: { '7': 1, '8': 1, '9': 1 } });
    expect(keepPair(twoOfThree, { minAgreement: 0.6666666666666666 })).toBe(true);
    expect(keepPair(twoOfThree, { minAgreement: 2 / 3 })).toBe(true);
    expect(keepPair(twoOfThree, { minAgreement: 0.7 })).toBe(false);
    expect(keepPair(oneOfThree, { minAgreement: 2 / 3 })).toBe(false);
  });

  it('keeps an early-stopped vote only where its range decides the minimum, and counts the rest apart', () => {
    const early = pair({ votes: { '7': 2 }, samples: 2, agreement: null });
    expect(keepPair(early, { minAgreement: 2 / 3 })).toBe(true);
    expect(keepPair(early, { minAgreement: 1 })).toBe(false);
    expect(undecidedAgreement(early, { minAgreement: 1 })).toBe(true);
    expect(undecidedAgreement(early, { minAgreement: 2 / 3 })).toBe(false);
    expect(undecidedAgreement(pair(), { minAgreement: 1 })).toBe(false);
    expect(
      undecidedAgreement(early, { minAgreement: 1, dropUnanswered: true, runIds: new Set() }),
    ).toBe(false);
  });

  it('keeps exactly the pairs that pass their bar when asked, however early their sampling stopped', () => {
    const passed = pair({ votes: { '7': 2 }, samples: 2, minVotes: 2, passes: true });
    const failed = pair({ votes: { '7': 1, '8': 1, '9': 1 }, minVotes: 2, passes: false });
    expect(keepPair(passed, { passesBar: true })).toBe(true);
    expect(keepPair(failed, { passesBar: true })).toBe(false);
    expect(keepPair(failed, {})).toBe(true);
  });

  it('reaches a unanimous minimum for pairs whose run had a unanimous bar', () => {
    const unanimous = pair({ votes: { '7': 3 }, samples: 3, minVotes: 3, passes: true });
    expect(keepPair(unanimous, { minAgreement: 1 })).toBe(true);
  });

  it('drops pairs without a readable answer only when asked', () => {
    const unanswered = pair({ answer: null, votes: {}, abstained: 3, agreement: 0 });
    expect(undecidedAgreement(unanswered, { minAgreement: 0.5 })).toBe(false);
    expect(keepPair(unanswered, {})).toBe(true);
    expect(keepPair(unanswered, { dropUnanswered: true })).toBe(false);
    expect(keepPair(pair(), { dropUnanswered: true })).toBe(true);
  });

  it('keeps only the chosen runs and honours a further condition', () => {
    const runs = new Set(['run-b']);
    expect(keepPair(pair(), { runIds: runs })).toBe(false);
    expect(keepPair(pair({ runId: 'run-b' }), { runIds: runs })).toBe(true);
    expect(keepPair(pair(), { where: (p) => p.k > 3 })).toBe(false);
  });

  it('exports only the kept pairs and tallies exactly those', async () => {
    const pairs = [
      pair({ questionSeq: 0, agreement: 1 }),
      pair({ questionSeq: 1, agreement: 1 / 3, votes: { '7': 1, '2': 1, '3': 1 } }),
      pair({ questionSeq: 2, answer: null, agreement: 0, votes: {}, abstained: 3 }),
      pair({
        questionSeq: 3,
        votes: { '7': 2 },
        agreement: null,
        samples: 2,
        model: 'Llama-3.2-1B',
      }),
    ];
    const tally = new ExportTally();
    const lines = await collect(
      exportLines(pairs, { format: 'full', filter: { minAgreement: 0.5 }, tally }),
    );
    expect(lines.map((l) => (JSON.parse(l) as { question_seq: number }).question_seq)).toEqual([
      0, 3,
    ]);
    expect(tally.summary()).toEqual({
      pairs: 2,
      passing: 2,
      meanAgreement: [(1 + 2 / 3) / 2, 1],
      exactAgreement: 1,
      voteSplits: [
        { winnerVotes: 3, drawn: 3, k: 3, passes: true, pairs: 1 },
        { winnerVotes: 2, drawn: 2, k: 3, passes: true, pairs: 1 },
      ],
      unvoted: 0,
      samplesDrawn: 5,
      unanswered: 0,
      flagged: 0,
      edited: 0,
      models: ['Llama-3.2-1B', 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC'],
    });
  });
});

describe('the export tally', () => {
  it('leaves pairs without votes out of the mean agreement and the histogram, and counts them', () => {
    const tally = new ExportTally();
    tally.add(pair({ agreement: 1 }));
    tally.add(pair({ agreement: 1 / 3, votes: { '7': 1, '2': 1, '3': 1 } }));
    for (const seq of [5, 6]) {
      tally.add(pair({ questionSeq: seq, votes: {}, samples: 0, k: 0, agreement: null }));
    }
    const summary = tally.summary();
    expect(summary.pairs).toBe(4);
    expect(summary.unvoted).toBe(2);
    expect(summary.meanAgreement?.[0]).toBeCloseTo(2 / 3, 12);
    expect(summary.meanAgreement?.[1]).toBeCloseTo(2 / 3, 12);
    expect(summary.voteSplits.map((s) => [s.winnerVotes, s.pairs])).toEqual([
      [3, 1],
      [1, 1],
    ]);
    expect(summary.samplesDrawn).toBe(6);
  });

  it('has no mean agreement at all when no pair was voted on', () => {
    const tally = new ExportTally();
    tally.add(pair({ votes: {}, samples: 0, k: 0, agreement: null }));
    expect(tally.summary()).toMatchObject({
      meanAgreement: null,
      voteSplits: [],
      unvoted: 1,
    });
  });
});

describe('streaming export', () => {
  async function* slowly(pairs: QaPairRecord[]): AsyncGenerator<QaPairRecord> {
    for (const p of pairs) yield await Promise.resolve(p);
  }

  it('streams UTF-8 bytes in several chunks that decode to the same lines', async () => {
    const pairs = Array.from({ length: 3000 }, (_, i) =>
      pair({ questionSeq: i, question: `Question ${i}: what is ${i} × 2? 🍎` }),
    );
    const reader = exportStream(slowly(pairs), { format: 'alpaca' }).getReader();
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(chunks.length).toBeGreaterThan(2);
    const text = new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
    const lines = text.split('\n');
    expect(lines).toHaveLength(3001);
    expect(lines[2999]).toBe(
      JSON.stringify({
        instruction: 'Question 2999: what is 2999 × 2? 🍎',
        input: '',
        output: pairs[0]?.answerText,
      }),
    );
  });

  it('gives blob parts that join into the same file as the lines', async () => {
    const pairs = Array.from({ length: 2000 }, (_, i) => pair({ questionSeq: i }));
    const parts = await exportBlobParts(pairs, { format: 'openai' });
    const lines = await collect(exportLines(pairs, { format: 'openai' }));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(lines.join(''));
    expect(await new Blob(parts).text()).toBe(lines.join(''));
  });

  it('stops with an aborted error when the signal fires', async () => {
    const controller = new AbortController();
    const lines = exportLines(slowly([pair(), pair(), pair()]), {
      format: 'openai',
      signal: controller.signal,
    });
    await lines.next();
    controller.abort();
    const failure = await lines.next().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CrescentError);
    expect((failure as CrescentError).code).toBe('aborted');
  });
});

describe('rejected audit lines', () => {
  it('writes one line per rejected proposal with its reason and nearest question', async () => {
    const lines = await collect(
      rejectedLines([
        question({ seq: 0 }),
        question({
          seq: 1,
          status: 'rejected',
          reason: 'too-similar',
          text: 'Tom has 3 apples…',
          raw: 'Problem: Tom has 3 apples…',
          nearestSeq: 0,
          nearestText: 'A question?',
          similarity: 0.91,
        }),
        question({ seq: 2, status: 'rejected', reason: 'no-question', text: null, raw: '' }),
      ]),
    );
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        question: 'Tom has 3 apples…',
        raw: 'Problem: Tom has 3 apples…',
        reason: 'too-similar',
        nearest_question: 'A question?',
        similarity: 0.91,
        origin: 'bait',
        seq: 1,
        run_id: 'run-a',
      },
      {
        question: null,
        raw: '',
        reason: 'no-question',
        nearest_question: null,
        similarity: null,
        origin: 'bait',
        seq: 2,
        run_id: 'run-a',
      },
    ]);
  });
});
