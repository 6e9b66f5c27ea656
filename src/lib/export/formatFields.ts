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
| \`samples\` | integer | samples drawn (voting stops early once the winner cannot change) |
| \`k\` | integer or null | samples asked for; null for a pair imported without vote data |
| \`agreement\` | number or null | winning votes / k; null when unknown (a pair imported without vote data) |
| \`model\` | string | the model that wrote question and answers |
| \`recipe_id\` | string or null | id of the run configuration |
| \`run_id\` | string | the run that produced the pair |
| \`question_seq\` | integer | position of the question among the run's proposals (0-based) |
| \`rejected_before\` | integer or null | proposals of the same run rejected before this question was accepted |
| \`provenance\` | object | \`generator\` ("crescent-web"), \`method\` ("crescent", or "imported" for a pair read from a file without vote data), \`origin\` ("bait", "rewrite" or null), \`created_at\` (ISO 8601) |`;

const OPENAI = `One JSON object per line, the OpenAI chat fine-tuning shape:
\`{"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}\``;

const SHAREGPT = `One JSON object per line, the ShareGPT shape:
\`{"conversations": [{"from": "human", "value": question}, {"from": "gpt", "value": answer}]}\``;

const ALPACA = `One JSON object per line, the Alpaca shape:
\`{"instruction": question, "input": "", "output": answer}\``;

export const FORMAT_FIELDS: Readonly<Record<ExportFormat, string>> = {
  full: FULL,
  openai: OPENAI,
  sharegpt: SHAREGPT,
  alpaca: ALPACA,
};
