// The dataset card (README.md) shipped beside an export: Hub metadata, how the data was made,
// the recipe without its secrets, the figures, and what each field means.
import { withoutSecrets } from '../recipe/link';
import type { Recipe } from '../recipe/types';
import { describeFilter, type PairFilter } from './filter';
import type { ExportFormat } from './formats';
import { frontMatter, sizeCategory } from './frontMatter';
import { FORMAT_FIELDS } from './formatFields';
import type { PairStats, QuestionStats } from './stats';
import { minVotesFor } from '../crescent/vote';
import { voteSplitLabel } from './voteWords';
import type { ContaminationCheckRecord } from '../db/schema';

export interface DatasetCardInput {
  recipe: Recipe;
  recipeId: string;
  format: ExportFormat;
  /** From the ExportTally filled during the export. */
  pairs: PairStats;
  /** From summariseQuestions over the exported runs' proposals. */
  questions: QuestionStats;
  filter?: PairFilter;
  /** A Hub license id; 'other' unless the user chose one. */
  license?: string;
  prettyName?: string;
  /** Name of the JSONL file, for the Hub's `configs` entry. */
  dataFile?: string;
  /** Decontamination checks after the fact, one per exported run that had one. */
  contaminationChecks?: ContaminationCheckRecord[];
}

const ENGINE_WORDS: Record<Recipe['engine']['kind'], string> = {
  webllm: 'web-llm on WebGPU, in the browser',
  wllama: 'llama.cpp (wllama), in the browser',
  openai: 'an OpenAI-compatible endpoint',
};

export function datasetCard(input: DatasetCardInput): string {
  const { recipe, pairs, questions } = input;
  const models = pairs.models.length > 0 ? pairs.models : [recipe.engine.model];
  const prettyName = input.prettyName ?? `Crescent synthetic math QA (${models.join(', ')})`;
  const meta = frontMatter({
    license: input.license ?? 'other',
    pretty_name: prettyName,
    task_categories: ['question-answering', 'text-generation'],
    language: ['en'],
    size_categories: [sizeCategory(pairs.pairs)],
    tags: ['synthetic', 'math', 'crescent'],
    ...(input.dataFile
      ? { configs: [{ config_name: 'default', data_files: input.dataFile }] }
      : {}),
  });

  const filters = describeFilter(input.filter ?? {});
  const sections = [
    `# ${prettyName}`,
    `${pairs.pairs} math question–answer ${pairs.pairs === 1 ? 'pair' : 'pairs'} written entirely by ${listCode(models)}, with no seed data and no teacher model, using the Crescent method (Sun et al., ACL 2025 Findings, [arXiv:2502.13441](https://arxiv.org/abs/2502.13441)):`,
    [
      '1. **Bait.** The model is asked again and again, with sampling, to invent one problem.',
      `2. **Diversify.** Each question is embedded with ${code(recipe.embedder.model)}; one whose nearest accepted question has cosine similarity above ${recipe.similarityThreshold} is rejected and the model is asked to rewrite it (up to ${recipe.maxRewrites} times).`,
      `3. **Consensus.** Each accepted question is answered up to ${recipe.votes} times and the majority answer wins; the first reply agreeing with it is kept as the answer text. ${barSentence(recipe)}`,
    ].join('\n'),
    'The answers are the model’s own: a majority vote is not a proof. Check a sample before training on it, and prefer pairs with high agreement.',
    '## Model',
    `Generated with ${listCode(models)} (${ENGINE_WORDS[recipe.engine.kind]}), sampling temperature ${recipe.temperature}, top-p ${recipe.topP}${recipe.faithful ? ', with the paper’s own answer extraction' : ''}.`,
    '## Statistics',
    statisticsTable(pairs, questions),
    '### Votes',
    VOTES_NOTE + unvotedNote(pairs),
    splitsTable(pairs),
    '## Decontamination',
    decontaminationSection(input),
    '## Export filters',
    filters.length > 0 ? filters.map((f) => `- ${f}`).join('\n') : 'None: every pair of the runs.',
    `## Fields (${input.format} format)`,
    FORMAT_FIELDS[input.format],
    '## Recipe',
    `The run configuration (recipe id ${code(input.recipeId)}); open it in the app to generate more data the same way.`,
    fenced('json', JSON.stringify(redactSecrets(withoutSecrets(recipe)), null, 2)),
    '## Citation',
    fenced('bibtex', CITATION),
  ];
  return `${meta}\n${sections.join('\n\n')}\n`;
}

function statisticsTable(pairs: PairStats, q: QuestionStats): string {
  const reasons = Object.entries(q.rejectedBy)
    .map(([reason, n]) => `${reason}: ${n}`)
    .join(', ');
  const rows: [string, string][] = [
    ['Runs', String(q.runs)],
    ['Questions proposed', String(q.proposed)],
    ['Questions accepted', `${q.accepted} (${q.acceptedRewrites} after a rewrite)`],
    ['Questions rejected', reasons ? `${q.rejected} (${reasons})` : String(q.rejected)],
    ['Pairs in this file', String(pairs.pairs)],
    ['Pairs without a readable final answer', String(pairs.unanswered)],
    ['Pairs passing the quality bar', passingFigure(pairs)],
    ['Mean agreement of all k samples', meanAgreement(pairs)],
    ...(pairs.unvoted > 0
      ? [['Pairs imported without vote data', String(pairs.unvoted)] as [string, string]]
      : []),
    ['Answer samples drawn', String(pairs.samplesDrawn)],
    ...(pairs.edited > 0
      ? [
          [
            'Pairs corrected by hand',
            `${pairs.edited} (the model's text in \`original\` of the full format)`,
          ] as [string, string],
        ]
      : []),
  ];
  return ['| | |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

function decontaminationSection(input: DatasetCardInput): string {
  const { recipe, questions, pairs } = input;
  const checks = input.contaminationChecks ?? [];
  const during = recipe.decontamination.benchmarks;
  const lines: string[] = [];
  if (during.length > 0) {
    const { ngram, similarity } = recipe.decontamination;
    const rules = [
      ...(ngram > 0
        ? [`shared a run of ${ngram} words with a benchmark question (numbers masked)`]
        : []),
      ...(similarity < 1
        ? [`had cosine similarity above ${similarity} to one (same embedder as deduplication)`]
        : []),
    ];
    const rejected = questions.rejectedBy.contaminated ?? 0;
    lines.push(
      `During generation every proposal was checked against ${listCode(during.map((b) => b.name))}: one that ${rules.join(' or ') || 'matched no rule (both rules were off)'} was rejected as contaminated and rewritten. ${rejected} ${rejected === 1 ? 'proposal was' : 'proposals were'} rejected this way.`,
    );
  }
  for (const check of checks) {
    const names = listCode(check.benchmarks.map((b) => `${b.name} (${b.questions})`));
    lines.push(
      `After generation, on ${new Date(check.checkedAt).toISOString().slice(0, 10)}, ${check.checked} pairs were checked against ${names} by shared runs of ${check.ngram} words: ${check.flagged} flagged.`,
    );
  }
  if (lines.length === 0)
    return 'No benchmark was checked against: this data may hold questions of public test sets.';
  const dropped = input.filter?.dropContaminated === true;
  lines.push(
    dropped
      ? 'Flagged pairs are left out of this file.'
      : `Flagged pairs in this file: ${pairs.flagged} (marked in the full format's \`contamination\` field).`,
  );
  return lines.join('\n\n');
}

const VOTES_NOTE =
  'Each pair records the winner’s votes among the samples drawn and the k asked for. Adaptive voting stops sampling as soon as the samples still to come could not change the outcome at the run’s quality bar, so whether a pair passes the bar is always exact, while a pair such as “2 of 2 drawn (k = 3)” only bounds its agreement (here between 2/3 and 3/3).';

function barSentence(recipe: Recipe): string {
  const needed = minVotesFor(recipe.minAgreement, recipe.votes);
  const bar =
    needed === 0
      ? 'There was no quality bar.'
      : `Quality bar: a pair passes when at least ${needed} of ${recipe.votes} samples agree.`;
  return recipe.adaptiveVoting
    ? `${bar} Sampling stopped early once the outcome at the bar was settled.`
    : bar;
}

function passingFigure(pairs: PairStats): string {
  const voted = pairs.pairs - pairs.unvoted;
  return voted === 0 ? '–' : `${pairs.passing} of ${voted}`;
}

function meanAgreement(pairs: PairStats): string {
  const mean = pairs.meanAgreement;
  if (mean === null) return pairs.pairs === 0 ? '–' : 'unknown (no pair has vote data)';
  const voted = pairs.pairs - pairs.unvoted;
  const [low, high] = mean;
  if (pairs.exactAgreement === voted) return low.toFixed(3);
  return `between ${low.toFixed(3)} and ${high.toFixed(3)} (exact for ${pairs.exactAgreement} of ${voted} pairs)`;
}

function unvotedNote(pairs: PairStats): string {
  if (pairs.unvoted === 0) return '';
  const these = pairs.unvoted === 1 ? '1 pair was' : `${pairs.unvoted} pairs were`;
  return ` ${these} imported from a file without vote data: no vote here checked their answers, their agreement is unknown, and neither the mean nor the table below counts them.`;
}

function splitsTable(pairs: PairStats): string {
  if (pairs.voteSplits.length === 0)
    return pairs.pairs === 0 ? 'No pairs.' : 'No pair with vote data.';
  const most = Math.max(...pairs.voteSplits.map((split) => split.pairs));
  const rows = pairs.voteSplits.map(
    (split) =>
      `| ${voteSplitLabel(split)} | ${split.passes ? 'passes' : 'below'} | ${split.pairs} | ${'█'.repeat(Math.max(1, Math.round((split.pairs / most) * 20)))} |`,
  );
  return ['| winner’s votes | bar | pairs | |', '|---|---|---:|---|', ...rows].join('\n');
}

// Any credential-like key, at any depth: a recipe may grow fields this list has not seen.
const SECRET_KEY = /^(api[-_]?key|token|secret|password|authorization)$/i;

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!SECRET_KEY.test(key)) out[key] = redactSecrets(v);
  }
  return out;
}

/** A fence longer than any backtick run inside, so a prompt holding ``` cannot close it. */
function fenced(language: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

function listCode(items: readonly string[]): string {
  return items.map(code).join(', ');
}

const CITATION = `@inproceedings{sun-etal-2025-self,
  title = "The Self-Improvement Paradox: Can Language Models Bootstrap Reasoning Capabilities without External Scaffolding?",
  author = "Sun, Yutao and Chen, Mingshuai and Zhao, Tiancheng and Xu, Ruochen and Zhang, Zilun and Yin, Jianwei",
  booktitle = "Findings of the Association for Computational Linguistics: ACL 2025",
  year = "2025",
  pages = "6501--6512",
  url = "https://aclanthology.org/2025.findings-acl.337/",
  doi = "10.18653/v1/2025.findings-acl.337"
}`;
