import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import {
  assertImportable,
  normaliseQuestion,
  parseDataset,
  parseDatasetStream,
  uniqueRows,
} from '../src/lib/export';

const jsonl = (...rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n');

describe('parseDataset reads every supported shape', () => {
  it('reads the full format with its votes, agreement, model and date', () => {
    const result = parseDataset(
      jsonl({
        question: 'What is 2 + 2?',
        answer_text: '2 + 2 = 4\n#### Answer: 4',
        final_answer: '4',
        votes: { '4': 2, '5': 1 },
        abstained: 0,
        samples: 3,
        k: 3,
        agreement: 2 / 3,
        model: 'Qwen3-0.6B',
        recipe_id: 'abc',
        run_id: 'r',
        question_seq: 4,
        rejected_before: 1,
        provenance: {
          generator: 'crescent-web',
          origin: 'bait',
          created_at: '2026-01-02T00:00:00Z',
        },
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.format).toBe('full');
    expect(result.rows).toEqual([
      {
        line: 1,
        format: 'full',
        question: 'What is 2 + 2?',
        answerText: '2 + 2 = 4\n#### Answer: 4',
        answer: '4',
        votes: { '4': 2, '5': 1 },
        abstained: 0,
        samples: 3,
        k: 3,
        model: 'Qwen3-0.6B',
        createdAt: Date.UTC(2026, 0, 2),
      },
    ]);
  });

  it('reads the quality bar and its outcome from the full format', () => {
    const line = {
      question: 'Q',
      answer_text: 'A',
      final_answer: '4',
      votes: { '4': 1, '5': 1 },
      samples: 2,
      k: 3,
      min_votes: 3,
      passes_bar: false,
    };
    expect(parseDataset(jsonl(line)).rows[0]).toMatchObject({ minVotes: 3, passes: false });
    expect(parseDataset(jsonl({ ...line, passes_bar: 'no' })).errors[0]?.reason).toBe(
      'passes_bar must be true or false (found a string)',
    );
    expect(parseDataset(jsonl({ ...line, min_votes: -1 })).errors[0]?.reason).toMatch(
      /^min_votes must be a whole number/,
    );
  });

  it.each([
    [
      'openai',
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Q' },
          { role: 'assistant', content: 'A' },
        ],
      },
    ],
    [
      'sharegpt',
      {
        conversations: [
          { from: 'human', value: 'Q' },
          { from: 'gpt', value: 'A' },
        ],
      },
    ],
    [
      'sharegpt',
      {
        conversations: [
          { from: 'system', value: 'Be brief.' },
          { from: 'user', value: 'Q' },
          { from: 'assistant', value: 'A' },
        ],
      },
    ],
    ['alpaca', { instruction: 'Q', input: '', output: 'A' }],
    ['alpaca', { instruction: 'Q', output: 'A' }],
    ['question-answer', { question: 'Q', answer: 'A' }],
    ['prompt-completion', { prompt: 'Q', completion: 'A' }],
  ])('reads the %s shape', (format, row) => {
    const result = parseDataset(jsonl(row, row));
    expect(result.format).toBe(format);
    expect(result.rows.map((r) => [r.question, r.answerText, r.answer])).toEqual([
      ['Q', 'A', null],
      ['Q', 'A', null],
    ]);
  });

  it('keeps an answer spelled __proto__ as a vote, not as a prototype', () => {
    const line = '{"question":"Q","answer_text":"A","votes":{"__proto__":2,"7":1}}';
    const votes = parseDataset(line).rows[0]?.votes;
    expect(Object.keys(votes ?? {}).sort()).toEqual(['7', '__proto__']);
    expect(votes?.['__proto__']).toBe(2);
  });

  it('puts a non-empty Alpaca input after the instruction, as its prompt template does', () => {
    const result = parseDataset(jsonl({ instruction: 'Solve:', input: '3 x 4', output: '12' }));
    expect(result.rows[0]?.question).toBe('Solve:\n\n3 x 4');
  });

  it('keeps a stated final_answer on plain question/answer lines', () => {
    const result = parseDataset(
      jsonl({ question: 'Q', answer: '... #### 12', final_answer: '12' }),
    );
    expect(result.rows[0]?.answer).toBe('12');
  });

  it('reads the final answer out of a worked answer when the line states none', () => {
    const worked =
      'She sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs at $2.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### 18';
    const result = parseDataset(
      jsonl(
        { question: 'How much does Janet make?', answer: worked },
        { question: 'How many bolts in total?', answer: 'It takes 2 + 1 = 3 bolts.\n#### 1,003' },
        { question: 'Name a colour.', answer: 'Blue.' },
      ),
    );
    expect(result.rows.map((r) => r.answer)).toEqual(['18', '1003', null]);
    const chat = parseDataset(
      jsonl({
        messages: [
          { role: 'user', content: 'What is half of 3?' },
          { role: 'assistant', content: 'The answer is 1.5, as two halves make 3.' },
        ],
      }),
    );
    expect(chat.rows[0]?.answer).toBe('1.5');
  });

  it("keeps the full format's final_answer as written, null included, over its answer text", () => {
    const line = (finalAnswer: string | null) => ({
      question: `Q ${finalAnswer}`,
      answer_text: '2 + 2 = 4\n#### 4',
      final_answer: finalAnswer,
    });
    const result = parseDataset(jsonl(line('5'), line(null)));
    expect(result.rows.map((r) => r.answer)).toEqual(['5', null]);
  });

  it('accepts a BOM, CRLF line ends and blank lines, counting lines as an editor does', () => {
    const text =
      '\uFEFF' +
      jsonl({ question: 'A', answer: '1' }) +
      '\r\n\r\n  \r\n' +
      '{"question":3,"answer":"x"}\r\n';
    const result = parseDataset(text);
    expect(result.rows.map((r) => [r.line, r.question, r.answerText])).toEqual([[1, 'A', '1']]);
    expect(result.errors).toEqual([
      { line: 4, reason: 'question must be a string (found number 3)' },
    ]);
    expect(result.ok).toBe(false);
  });
});

describe('parseDataset reports each bad line with its number and reason', () => {
  const cases: [string, string][] = [
    ['{"question": "Q", "answer": ', 'invalid JSON'],
    ['[1, 2]', 'not a JSON object (found an array)'],
    ['42', 'not a JSON object (found number 42)'],
    ['"text"', 'not a JSON object (found a string)'],
    ['null', 'not a JSON object (found null)'],
    ['{"question": "Q"}', 'missing answer'],
    ['{"question": "   ", "answer": "A"}', 'empty question'],
    ['{"question": "Q", "answer": 7}', 'answer must be a string (found number 7)'],
    ['{"foo": 1, "bar": 2}', 'unknown shape (keys: "foo", "bar")'],
    [
      '{"question": "Q", "raw": "r", "reason": "too-similar"}',
      'an audit line of a rejected question',
    ],
    [
      '{"messages": [{"role": "user", "content": "Q"}]}',
      'messages must hold one question and one answer (found 1 turns)',
    ],
    [
      '{"messages": [{"role": "assistant", "content": "A"}, {"role": "user", "content": "Q"}]}',
      'turn 1 must be from "user" (found "assistant")',
    ],
    ['{"messages": "Q"}', 'messages must be an array (found a string)'],
    [
      '{"conversations": [{"from": "human", "value": 1}, {"from": "gpt", "value": "A"}]}',
      'conversations[0].value must be a string (found number 1)',
    ],
    ['{"instruction": "Q"}', 'missing output'],
    [
      '{"question": "Q", "answer_text": "A", "votes": [1]}',
      'votes must be an object of answer -> count (found an array)',
    ],
    [
      '{"question": "Q", "answer_text": "A", "agreement": 1.5}',
      'agreement must be a number from 0 to 1 (found number 1.5)',
    ],
    [
      '{"question": "Q", "answer_text": "A", "k": 2.5}',
      'k must be a whole number of samples (found number 2.5)',
    ],
    [
      '{"question": "Q", "answer_text": "A", "final_answer": 4}',
      'final_answer must be a string (found number 4)',
    ],
    [
      '{"question": "Q", "answer_text": "A", "provenance": {"created_at": "yesterday"}}',
      'provenance.created_at must be an ISO 8601 date',
    ],
    ['{"question": "\\ud800 lone", "answer": "A"}', 'question holds an unpaired UTF-16 surrogate'],
  ];

  it.each(cases)('%s -> %s', (bad, reason) => {
    const good = jsonl({ question: 'Fine?', answer: 'Yes' });
    const result = parseDataset(`${good}\n${bad}\n${good.replace('Fine', 'Also fine')}`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(2);
    expect(result.errors[0]?.reason).toContain(reason);
    expect(result.rows.map((r) => r.line)).toEqual([1, 3]);
    expect(result.ok).toBe(false);
  });

  it('refuses a file whose lines mix formats, unless mixing is allowed', () => {
    const text = jsonl({ question: 'A', answer: '1' }, { instruction: 'B', output: '2' });
    expect(parseDataset(text).errors).toEqual([
      {
        line: 2,
        reason: 'in the alpaca format, but the file began in the question-answer format (line 1)',
      },
    ]);
    const mixed = parseDataset(text, { allowMixedFormats: true });
    expect(mixed.format).toBe('mixed');
    expect(mixed.ok).toBe(true);
    expect(mixed.rows).toHaveLength(2);
  });

  it('is not ok for a file with no pairs at all', () => {
    const result = parseDataset('\n\n');
    expect(result).toEqual({ format: null, rows: [], errors: [], duplicates: [], ok: false });
    expect(() => assertImportable(result)).toThrow('The file holds no QA pairs.');
  });

  it('throws an invalid-import error that names the first bad lines', () => {
    const result = parseDataset('x\n{}\n[]\n7\n');
    let caught: unknown;
    try {
      assertImportable(result);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CrescentError);
    expect((caught as CrescentError).code).toBe('invalid-import');
    expect((caught as CrescentError).message).toMatch(
      /^The file has 4 bad line\(s\): line 1: invalid JSON.*line 2: unknown shape.*line 3: not a JSON object.*\(and 1 more\)\.$/,
    );
  });
});

describe('duplicates', () => {
  it('treats questions that differ in case, spacing or final punctuation as the same', () => {
    expect(normaliseQuestion('  What is  2+2 ?\n')).toBe(normaliseQuestion('what is 2+2'));
    expect(normaliseQuestion('What is 2+2?')).not.toBe(normaliseQuestion('What is 2+3?'));
    expect(normaliseQuestion('Ｗhat is ２+2。')).toBe('what is 2+2');
  });

  it('reports repeats within the file and of stored questions, and can leave them out', () => {
    const text = jsonl(
      { question: 'How many legs has a cat?', answer: '4' },
      { question: 'how many legs has a cat', answer: 'four' },
      { question: 'What is 7 x 6?', answer: '42' },
      { question: 'A new one?', answer: 'yes' },
    );
    const result = parseDataset(text, { existingQuestions: ['WHAT IS 7 x 6'] });
    expect(result.ok).toBe(true);
    expect(result.duplicates).toEqual([
      { line: 2, of: 1 },
      { line: 3, of: 'existing' },
    ]);
    expect(result.rows).toHaveLength(4);
    expect(uniqueRows(result).map((r) => r.line)).toEqual([1, 4]);
  });
});

describe('parseDatasetStream', () => {
  const text =
    '\uFEFF' +
    jsonl(
      { question: 'Ünïcödé 🍎 question?', answer: 'A\u2028B' },
      { question: 'Second', answer: 'x' },
    ) +
    '\r\n{"broken": \r\n' +
    jsonl({ question: 'Third', answer: '3' });

  it('lets timers run while it reads a large file that arrives as one chunk', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) =>
      JSON.stringify({ question: `How many sides has shape ${i}?`, answer: `#### ${i}` }),
    );
    let finished = false;
    let timerRanDuringParse = false;
    setTimeout(() => (timerRanDuringParse = !finished), 0);
    const result = await parseDatasetStream([lines.join('\n')]);
    finished = true;
    expect(result.rows).toHaveLength(100_000);
    expect(timerRanDuringParse).toBe(true);
  });

  it('gives the same result as the whole text, however the bytes are cut', async () => {
    const whole = parseDataset(text);
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
      expect(await parseDatasetStream(chunks)).toEqual(whole);
    }
    expect(whole.rows.map((r) => r.question)).toEqual(['Ünïcödé 🍎 question?', 'Second', 'Third']);
    expect(whole.errors.map((e) => e.line)).toEqual([3]);
  });

  it('reads text chunks and a ReadableStream', async () => {
    const whole = parseDataset(text);
    const pieces = text.match(/[\s\S]{1,4}/g) ?? [];
    expect(await parseDatasetStream(pieces)).toEqual(whole);
    const stream = new Blob([text]).stream();
    expect(await parseDatasetStream(stream)).toEqual(whole);
  });

  it('reports a line that is not valid UTF-8 by its number', async () => {
    const good = new TextEncoder().encode('{"question":"Q","answer":"A"}\n');
    const bad = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a]);
    const result = await parseDatasetStream([good, bad, good]);
    expect(result.errors).toEqual([{ line: 2, reason: 'not valid UTF-8' }]);
    expect(result.rows.map((r) => r.line)).toEqual([1, 3]);
  });
});
