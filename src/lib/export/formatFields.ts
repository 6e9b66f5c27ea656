// What each export format's fields mean, as written into the dataset card.
import type { ExportFormat } from './formats';

const FULL = `One JSON object per line:

| field | type | meaning |
|---|---|---|
| \`question\` | string | the question, as the model wrote it |
| \`answer_text\` | string | the first sampled reply that agrees with the winning answer ('' when nothing won) |
| \`final_answer\` | string or null | the winning answer in canonical form; null when no sample had a readable answer |
| \`votes\` | object | canonical answer -> number of samples that gave it |
| \`abstained\` | integer | samples with no readable answer |
| \`samples\` | integer | samples drawn (adaptive voting stops once the outcome at the bar cannot change) |
| \`k\` | integer or null | samples asked for; null for a pair imported without vote data |
| \`agreement\` | number or null | the winner's share of all k samples; null when sampling stopped early (see \`agreement_range\`) or without vote data |
| \`agreement_range\` | [number, number] or null | the lowest and highest share all k samples can give the winner; equal when every sample was drawn |
| \`min_votes\` | integer or null | votes of k the winner needed to pass the run's quality bar (0: no bar) |
| \`passes_bar\` | boolean or null | whether all k samples pass the bar; exact even when sampling stopped early |
| \`contamination\` | object or null | set when a decontamination check found the question leaking a benchmark question: \`benchmark\`, \`benchmark_index\`, \`benchmark_question\`, \`rule\` ("ngram" or "embedding"), \`ngram\` (the shared words, numbers as #), \`similarity\` |
| \`original\` | object or null | when the pair was corrected by hand: what the model wrote (\`question\`, \`answer_text\`, \`final_answer\`); the fields above hold the corrections, the vote stays the model's |
| \`model\` | string | the model that wrote question and answers |
| \`recipe_id\` | string or null | id of the run configuration |
| \`run_id\` | string | the run that produced the pair |
| \`question_seq\` | integer | position of the question among the run's proposals (0-based) |
| \`rejected_before\` | integer or null | proposals of the same run rejected before this question was accepted |
| \`provenance\` | object | \`generator\` ("crescent-web"), \`method\` ("crescent", or "imported" for a pair read from a file without vote data), \`origin\` ("bait", "rewrite" or null), \`edited\` (corrected by hand), \`created_at\` (ISO 8601) |`;

const OPENAI = `One JSON object per line, the OpenAI chat fine-tuning shape:
\`{"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}\``;

const SHAREGPT = `One JSON object per line, the ShareGPT shape:
\`{"conversations": [{"from": "human", "value": question}, {"from": "gpt", "value": answer}]}\``;

const ALPACA = `One JSON object per line, the Alpaca shape:
\`{"instruction": question, "input": "", "output": answer}\``;

const DPO = `One JSON object per line, the preference shape TRL's \`DPOTrainer\` and LLaMA-Factory read:
\`{"prompt": question, "chosen": reply, "rejected": reply}\`. Only pairs that pass their run's quality bar
and whose vote was split give a record: \`chosen\` is a sampled reply whose final answer won the vote,
\`rejected\` one whose readable final answer lost it (a reply that ended on its own where there is one).
Majority agreement is not correctness: a preference here says which reply the model itself agreed with.`;

export const FORMAT_FIELDS: Readonly<Record<ExportFormat, string>> = {
  full: FULL,
  openai: OPENAI,
  sharegpt: SHAREGPT,
  alpaca: ALPACA,
  dpo: DPO,
};
