// Adaptive voting on real samples: published self-consistency samples (../shared/evals, see
// SOURCES.md there) replayed in their published order. For each k and bar: the samples a vote
// draws before its outcome is settled, against drawing all k (the outcome must be the same), and
// the accuracy of the majority answer against the dataset's gold beside one sample's.
import type { BenchRow } from '../scripts/bench';
import { loadEvalRows, type EvalRow } from '../scripts/eval-extraction';
import { extractAnswer } from '../src/lib/crescent/extractAnswer';
import {
  isVoteSettled,
  majorityVote,
  minVotesFor,
  outcomeOf,
  settledOutcome,
  type SampledAnswer,
} from '../src/lib/crescent/vote';

interface SampledRow extends EvalRow {
  sample_idx: number;
}

const MODELS = [
  { model: 'Qwen/Qwen2.5-7B-Instruct', name: 'Qwen2.5-7B, 100 hard', ks: [3, 5] },
  { model: 'meta-llama/Llama-3.2-1B-Instruct', name: 'Llama-3.2-1B, 100', ks: [3] },
];
/** No bar, and two thirds of the k samples agreeing. */
const BARS = [0, 2 / 3];

/** The questions of a model with their samples' answers in published order, and the gold answer. */
function questionsOf(rows: readonly SampledRow[], model: string) {
  const byQuestion = new Map<string, { gold: string | null; samples: SampledRow[] }>();
  for (const row of rows) {
    if (row.model !== model) continue;
    const entry = byQuestion.get(row.question_id) ?? {
      gold: extractAnswer(row.gold),
      samples: [],
    };
    entry.samples.push(row);
    byQuestion.set(row.question_id, entry);
  }
  return [...byQuestion.values()].map(({ gold, samples }) => ({
    gold,
    answers: samples
      .sort((a, b) => a.sample_idx - b.sample_idx)
      .map((s): SampledAnswer => extractAnswer(s.completion)),
  }));
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);

export default async function realVotesBench(): Promise<BenchRow[]> {
  const rows = loadEvalRows() as SampledRow[] | null;
  if (!rows) throw new Error('../shared/evals/answers.jsonl.gz is missing');
  const out: BenchRow[] = [];
  for (const { model, name, ks } of MODELS) {
    const questions = questionsOf(rows, model);
    if (questions.length === 0) throw new Error(`no samples of ${model} in the evals`);
    const single = questions.filter((q) => q.answers[0] !== null && q.answers[0] === q.gold);
    out.push({
      name: `${name}: one sample right`,
      value: percent(single.length, questions.length),
      unit: '%',
      note: `${single.length} of ${questions.length}, the first published sample`,
    });
    for (const k of ks) {
      for (const bar of BARS) {
        const minVotes = minVotesFor(bar, k);
        let drawn = 0;
        let changed = 0;
        let passing = 0;
        let right = 0;
        let rightPassing = 0;
        for (const q of questions) {
          const all = q.answers.slice(0, k);
          if (all.length < k) throw new Error(`${model} has fewer than ${k} samples of a question`);
          let n = 0;
          while (!isVoteSettled(all.slice(0, n), k, { minVotes })) n++;
          drawn += n;
          const full = outcomeOf(majorityVote(all), minVotes);
          const early = settledOutcome(all.slice(0, n), k, { minVotes });
          if (JSON.stringify(early) !== JSON.stringify(full)) changed++;
          const winner = majorityVote(all).winner;
          const correct = winner !== null && winner === q.gold;
          if (correct) right++;
          if (full.pass) {
            passing++;
            if (correct) rightPassing++;
          }
        }
        const label = bar === 0 ? 'no bar' : `bar ${minVotes}/${k}`;
        out.push({
          name: `${name}, k=${k}, ${label}: samples saved`,
          value: percent(k * questions.length - drawn, k * questions.length),
          unit: '%',
          note: `${drawn} drawn of ${k * questions.length}; outcome changed for ${changed}`,
        });
        out.push(
          bar === 0
            ? {
                name: `${name}, k=${k}, ${label}: majority right`,
                value: percent(right, questions.length),
                unit: '%',
                note: `${right} of ${questions.length}`,
              }
            : {
                name: `${name}, k=${k}, ${label}: kept pairs right`,
                value: percent(rightPassing, passing),
                unit: '%',
                note: `${rightPassing} of the ${passing} questions that pass the bar`,
              },
        );
      }
    }
  }
  return out;
}
