import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { QuestionRecord } from '../src/lib/crescent/types';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import type { Recipe } from '../src/lib/recipe/types';
import {
  datasetCard,
  ExportTally,
  sizeCategory,
  summariseQuestions,
  type DatasetCardInput,
} from '../src/lib/export';

const SECRET = 'sk-live-7f3a9c1e5b';

function recipeWithKeys(): Recipe {
  return {
    ...defaultRecipe(),
    engine: {
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'qwen2.5:7b',
      apiKey: SECRET,
    },
    embedder: {
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'nomic-embed',
      apiKey: SECRET,
    },
    baitPrompt: 'Write one problem.\n```\nProblem: ',
  };
}

function input(over: Partial<DatasetCardInput> = {}): DatasetCardInput {
  const tally = new ExportTally();
  const base = {
    runId: 'r',
    question: 'Q',
    answerText: 'A',
    abstained: 0,
    samples: 3,
    k: 3,
    model: 'qwen2.5:7b',
    minVotes: 0,
    passes: true,
    createdAt: 0,
  };
  tally.add({ ...base, questionSeq: 0, answer: '4', votes: { '4': 3 }, agreement: 1 });
  tally.add({ ...base, questionSeq: 1, answer: '5', votes: { '5': 2, '6': 1 }, agreement: 2 / 3 });
  // Adaptive voting stopped after two agreeing samples: the third could have made it 3 of 3.
  tally.add({
    ...base,
    questionSeq: 2,
    answer: '7',
    votes: { '7': 2 },
    samples: 2,
    agreement: null,
  });
  const questions: QuestionRecord[] = [0, 1, 2, 3, 4].map((seq) => ({
    runId: 'r',
    seq,
    origin: seq === 4 ? 'rewrite' : 'bait',
    attempt: 0,
    raw: '',
    text: 'Q',
    status: seq === 1 || seq === 3 ? 'rejected' : 'accepted',
    reason: seq === 1 || seq === 3 ? 'too-similar' : undefined,
    tokens: 1,
    createdAt: 0,
  }));
  return {
    recipe: recipeWithKeys(),
    recipeId: 'a1b2c3d4e5f6',
    format: 'full',
    pairs: tally.summary(),
    questions: summariseQuestions(questions),
    filter: { passesBar: true, minAgreement: 2 / 3, dropUnanswered: true },
    ...over,
  };
}

function frontMatterOf(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  expect(match).not.toBeNull();
  return parseYaml(match?.[1] ?? '') as Record<string, unknown>;
}

describe('datasetCard', () => {
  it('opens with Hub metadata that a YAML parser reads as the intended values', () => {
    const card = datasetCard(input({ dataFile: 'crescent-full-3.jsonl' }));
    expect(frontMatterOf(card)).toEqual({
      license: 'other',
      pretty_name: 'Crescent synthetic math QA (qwen2.5:7b)',
      task_categories: ['question-answering', 'text-generation'],
      language: ['en'],
      size_categories: ['n<1K'],
      tags: ['synthetic', 'math', 'crescent'],
      configs: [{ config_name: 'default', data_files: 'crescent-full-3.jsonl' }],
    });
  });

  it('quotes names and licenses that would otherwise be YAML syntax', () => {
    const awkward = 'yes: "quoted" # not a comment\n- [x] \\ \u2028 {a: b}';
    const card = datasetCard(input({ prettyName: awkward, license: 'no' }));
    const meta = frontMatterOf(card);
    expect(meta['pretty_name']).toBe(awkward);
    expect(meta['license']).toBe('no');
  });

  it('never writes an API key, while keeping the rest of the recipe', () => {
    const card = datasetCard(input());
    expect(card).not.toContain(SECRET);
    expect(card).not.toMatch(/apiKey/);
    const fence = /(`{3,})json\n([\s\S]*?)\n\1/.exec(card);
    const recipe = JSON.parse(fence?.[2] ?? '') as Recipe;
    expect(recipe.engine).toEqual({
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'qwen2.5:7b',
    });
    expect(recipe.baitPrompt).toBe('Write one problem.\n```\nProblem: ');
    expect(fence?.[1]).toBe('````');
  });

  it('states the method with its citation, the figures and the filters', () => {
    const card = datasetCard(input());
    expect(card).toContain('[arXiv:2502.13441](https://arxiv.org/abs/2502.13441)');
    expect(card).toContain('10.18653/v1/2025.findings-acl.337');
    expect(card).toContain('| Questions proposed | 5 |');
    expect(card).toContain('| Questions accepted | 3 (1 after a rewrite) |');
    expect(card).toContain('| Questions rejected | 2 (too-similar: 2) |');
    expect(card).toContain('| Pairs in this file | 3 |');
    expect(card).not.toContain('| Pairs imported without vote data |');
    expect(card).not.toContain('imported from a file without vote data:');
    expect(card).toContain(
      '| Mean agreement of all k samples | between 0.778 and 0.889 (exact for 2 of 3 pairs) |',
    );
    expect(card).toContain('| Pairs passing the quality bar | 3 of 3 |');
    expect(card).toContain('| Answer samples drawn | 8 |');
    expect(card).toContain('There was no quality bar. Sampling stopped early');
    const splits = card.slice(
      card.indexOf('| winner’s votes |'),
      card.indexOf('## Decontamination'),
    );
    expect(splits.trim().split('\n').slice(2)).toEqual([
      '| 3 of 3 | passes | 1 | ████████████████████ |',
      '| 2 of 2 drawn (k = 3) | passes | 1 | ████████████████████ |',
      '| 2 of 3 | passes | 1 | ████████████████████ |',
    ]);
    expect(card).toContain('- only pairs whose vote passes their run’s quality bar');
    expect(card).toContain(
      '- only pairs whose answer is known to win at least 66.7% of the k samples',
    );
    expect(card).toContain('- pairs without a readable final answer dropped');
    expect(card).toContain('| `rejected_before` |');
  });

  it('says when no benchmark was checked against', () => {
    const card = datasetCard(input());
    const section = card.slice(
      card.indexOf('## Decontamination'),
      card.indexOf('## Export filters'),
    );
    expect(section).toContain('No benchmark was checked against');
  });

  it('reports the decontamination during generation and after it, with the counts', () => {
    const recipe = recipeWithKeys();
    recipe.decontamination = {
      benchmarks: [{ name: 'gsm8k-test' }, { name: 'math-500' }],
      ngram: 8,
      similarity: 0.9,
    };
    const tally = new ExportTally();
    tally.add({
      runId: 'r',
      questionSeq: 0,
      question: 'Q',
      answerText: 'A',
      answer: '4',
      votes: { '4': 3 },
      abstained: 0,
      samples: 3,
      k: 3,
      agreement: 1,
      minVotes: 0,
      passes: true,
      model: 'm',
      contamination: { benchmark: 'gsm8k-test', index: 1, question: 'B', by: 'ngram' },
      createdAt: 0,
    });
    const questions = summariseQuestions(
      [0, 1, 2].map((seq) => ({
        runId: 'r',
        seq,
        origin: 'bait' as const,
        attempt: 0,
        raw: '',
        text: 'Q',
        status: seq === 0 ? ('accepted' as const) : ('rejected' as const),
        reason: seq === 0 ? undefined : ('contaminated' as const),
        tokens: 1,
        createdAt: 0,
      })),
    );
    const check = {
      benchmarks: [{ name: 'gsm8k-test', questions: 1319 }],
      ngram: 10,
      checked: 40,
      flagged: 1,
      checkedAt: Date.UTC(2026, 11, 4),
    };
    const card = datasetCard(
      input({ recipe, pairs: tally.summary(), questions, contaminationChecks: [check] }),
    );
    const section = card.slice(
      card.indexOf('## Decontamination'),
      card.indexOf('## Export filters'),
    );
    expect(section).toContain('`gsm8k-test`');
    expect(section).toContain('`math-500`');
    expect(section).toContain('shared a run of 8 words with a benchmark question (numbers masked)');
    expect(section).toContain('cosine similarity above 0.9');
    expect(section).toContain('2 proposals were rejected this way.');
    expect(section).toContain(
      'After generation, on 2026-12-04, 40 pairs were checked against `gsm8k-test (1319)` by shared runs of 10 words: 1 flagged.',
    );
    expect(section).toContain('Flagged pairs in this file: 1');
    const dropped = datasetCard(
      input({
        recipe,
        questions,
        contaminationChecks: [check],
        filter: { dropContaminated: true },
      }),
    );
    expect(dropped).toContain('Flagged pairs are left out of this file.');
    expect(dropped).toContain('- pairs flagged as leaking a benchmark question dropped');
  });

  it('claims no agreement for pairs imported without votes, and says how many there are', () => {
    const tally = new ExportTally();
    const imported = {
      runId: 'i',
      question: 'Q',
      answerText: '#### 4',
      answer: '4',
      votes: {},
      abstained: 0,
      samples: 0,
      k: 0,
      agreement: null,
      minVotes: 0,
      passes: true,
      model: 'unknown',
      createdAt: 0,
    };
    tally.add({ ...imported, questionSeq: 0 });
    tally.add({ ...imported, questionSeq: 1 });
    const card = datasetCard(input({ pairs: tally.summary() }));
    expect(card).toContain('| Mean agreement of all k samples | unknown (no pair has vote data) |');
    expect(card).toContain('| Pairs passing the quality bar | – |');
    expect(card).toContain('| Pairs imported without vote data | 2 |');
    expect(card).toContain('2 pairs were imported from a file without vote data');
    expect(card).toContain('No pair with vote data.');
    expect(card).not.toMatch(/\| 0\.00 \|/);
  });

  it('keeps the mean agreement of the voted pairs when imported ones are exported beside them', () => {
    const base = input();
    const card = datasetCard({ ...base, pairs: { ...base.pairs, pairs: 4, unvoted: 1 } });
    expect(card).toContain('| Mean agreement of all k samples | between 0.778 and 0.889');
    expect(card).toContain('| Pairs imported without vote data | 1 |');
    expect(card).toContain('1 pair was imported from a file without vote data');
  });

  it('states the bar, and counts pairs below it apart from those that pass', () => {
    const tally = new ExportTally();
    const base = {
      runId: 'r',
      question: 'Q',
      answerText: 'A',
      abstained: 0,
      k: 3,
      model: 'm',
      minVotes: 3,
      createdAt: 0,
    };
    tally.add({
      ...base,
      questionSeq: 0,
      answer: '4',
      votes: { '4': 3 },
      samples: 3,
      agreement: 1,
      passes: true,
    });
    // Two samples that differ already fail a unanimous bar.
    tally.add({
      ...base,
      questionSeq: 1,
      answer: '5',
      votes: { '5': 1, '6': 1 },
      samples: 2,
      agreement: null,
      passes: false,
    });
    const recipe = { ...recipeWithKeys(), minAgreement: 1 };
    const card = datasetCard(input({ recipe, pairs: tally.summary() }));
    expect(card).toContain('Quality bar: a pair passes when at least 3 of 3 samples agree.');
    expect(card).toContain('| Pairs passing the quality bar | 1 of 2 |');
    // The failing pair's winner ends with 1 or 2 of 3 votes, the passing one with exactly 3.
    expect(card).toContain('between 0.667 and 0.833 (exact for 1 of 2 pairs)');
    expect(card).toContain('| 1 of 2 drawn (k = 3) | below | 1 |');
  });

  it('documents the fields of the chosen format', () => {
    expect(datasetCard(input({ format: 'sharegpt' }))).toContain('"from": "human"');
    expect(datasetCard(input({ format: 'alpaca' }))).toContain('"instruction": question');
    expect(datasetCard(input({ format: 'dpo' }))).toContain('"chosen": reply');
    expect(datasetCard(input({ format: 'openai' }))).not.toContain('`answer_text`');
  });
});

describe('sizeCategory', () => {
  it.each([
    [0, 'n<1K'],
    [999, 'n<1K'],
    [1000, '1K<n<10K'],
    [9999, '1K<n<10K'],
    [10_000, '10K<n<100K'],
    [100_000, '100K<n<1M'],
    [999_999, '100K<n<1M'],
    [1_000_000, '1M<n<10M'],
    [1e12, 'n>1T'],
  ])('puts %d pairs in %s', (count, category) => {
    expect(sizeCategory(count)).toBe(category);
  });
});
