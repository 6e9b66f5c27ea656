// Reading one parsed JSONL line as a QA pair: which shape it has, and whether its fields
// have the right types. Every refusal says why in a sentence the user can act on.
import { extractAnswer } from '../crescent/extractAnswer';
import type { QaPairRecord } from '../crescent/types';
import type { ExportFormat } from './formats';

/** The exported formats, plus plain `{question, answer}` and `{prompt, completion}` lines. */
export type ImportFormat = ExportFormat | 'question-answer' | 'prompt-completion';

/** A pair read from a file, in the terms of QaPairRecord; extra facts only from `full` lines. */
export interface ImportedPair extends Partial<
  Pick<
    QaPairRecord,
    'votes' | 'abstained' | 'samples' | 'k' | 'minVotes' | 'passes' | 'model' | 'createdAt'
  >
> {
  /** 1-based line number in the file. */
  line: number;
  format: ImportFormat;
  question: string;
  answerText: string;
  /**
   * The line's own `final_answer` when it has that key (null included: a vote with no winner),
   * else the answer its answer text ends on (robust extraction: `#### 72` gives "72"), or null.
   */
  answer: string | null;
}

export type ShapeRead = { pair: Omit<ImportedPair, 'line'> } | { reason: string };

type Fields = Record<string, unknown>;

/** Thrown inside this module only, turned into a reason at its edge. */
class BadField extends Error {}

export function readShape(value: unknown): ShapeRead {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { reason: `not a JSON object (found ${kindOf(value)})` };
  const o = value as Fields;
  try {
    if ('messages' in o) return { pair: readOpenAi(o) };
    if ('conversations' in o) return { pair: readShareGpt(o) };
    if ('answer_text' in o || 'provenance' in o) return { pair: readFull(o) };
    if ('instruction' in o) return { pair: readAlpaca(o) };
    if ('prompt' in o && 'chosen' in o) return { pair: readDpo(o) };
    if ('prompt' in o)
      return { pair: qa('prompt-completion', o, text(o, 'prompt'), text(o, 'completion')) };
    if ('question' in o && 'answer' in o)
      return { pair: qa('question-answer', o, text(o, 'question'), text(o, 'answer')) };
    if ('question' in o && 'raw' in o && 'reason' in o)
      return { reason: 'an audit line of a rejected question: it holds no answer' };
    if ('question' in o) return { reason: 'missing answer (expected "answer" beside "question")' };
    return { reason: `unknown shape (keys: ${keyList(o)})` };
  } catch (error) {
    if (error instanceof BadField) return { reason: error.message };
    throw error;
  }
}

function qa(
  format: ImportFormat,
  o: Fields,
  question: string,
  answerText: string,
): Omit<ImportedPair, 'line'> {
  if (question.trim() === '') throw new BadField('empty question');
  // Plain fine-tuning lines carry the worked answer only; its final figure is what an
  // "answered" filter and a later vote compare.
  const answer =
    o['final_answer'] === undefined
      ? extractAnswer(answerText, { mode: 'robust' })
      : finalAnswer(o);
  return { format, question, answerText, answer };
}

/** A preference record: its prompt and chosen reply are the pair; the rejected reply is checked only. */
function readDpo(o: Fields): Omit<ImportedPair, 'line'> {
  text(o, 'rejected');
  return qa('dpo', o, text(o, 'prompt'), text(o, 'chosen'));
}

function readFull(o: Fields): Omit<ImportedPair, 'line'> {
  const pair = qa('full', o, text(o, 'question'), text(o, 'answer_text'));
  if (o['votes'] !== undefined) pair.votes = readVotes(o['votes']);
  const counts = [
    ['abstained', 'abstained'],
    ['samples', 'samples'],
    ['k', 'k'],
    ['min_votes', 'minVotes'],
  ] as const;
  for (const [key, field] of counts) {
    const n = o[key];
    // k and the bar are null on pairs exported without vote data: unknown, stored as absent.
    if (n === undefined || (n === null && (key === 'k' || key === 'min_votes'))) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw new BadField(`${key} must be a whole number of samples (found ${kindOf(n)})`);
    pair[field] = n;
  }
  const passes = o['passes_bar'];
  if (passes !== undefined && passes !== null) {
    if (typeof passes !== 'boolean')
      throw new BadField(`passes_bar must be true or false (found ${kindOf(passes)})`);
    pair.passes = passes;
  }
  // agreement and agreement_range follow from votes, samples and k: they are checked, not stored.
  const agreement = o['agreement'];
  if (agreement !== undefined && agreement !== null) {
    if (typeof agreement !== 'number' || !(agreement >= 0 && agreement <= 1))
      throw new BadField(`agreement must be a number from 0 to 1 (found ${kindOf(agreement)})`);
  }
  if (o['model'] !== undefined) pair.model = text(o, 'model');
  const createdAt = readCreatedAt(o['provenance']);
  if (createdAt !== undefined) pair.createdAt = createdAt;
  return pair;
}

function readCreatedAt(provenance: unknown): number | undefined {
  if (provenance === undefined) return undefined;
  if (typeof provenance !== 'object' || provenance === null || Array.isArray(provenance))
    throw new BadField(`provenance must be an object (found ${kindOf(provenance)})`);
  const at = (provenance as Fields)['created_at'];
  if (at === undefined) return undefined;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  if (Number.isNaN(ms)) throw new BadField('provenance.created_at must be an ISO 8601 date');
  return ms;
}

function finalAnswer(o: Fields): string | null {
  const v = o['final_answer'];
  return v === undefined || v === null ? null : text(o, 'final_answer');
}

function readVotes(votes: unknown): Record<string, number> {
  if (typeof votes !== 'object' || votes === null || Array.isArray(votes))
    throw new BadField(`votes must be an object of answer -> count (found ${kindOf(votes)})`);
  const entries = Object.entries(votes);
  for (const [answer, count] of entries) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
      throw new BadField(`votes for ${JSON.stringify(clip(answer))} must be a whole number`);
  }
  // fromEntries defines own properties, so an answer spelled "__proto__" stays an answer.
  return Object.fromEntries(entries) as Record<string, number>;
}

function readOpenAi(o: Fields): Omit<ImportedPair, 'line'> {
  const turns = readTurns(o, 'messages', 'role', 'content');
  return qa('openai', o, turnText(turns, 0, ['user']), turnText(turns, 1, ['assistant']));
}

function readShareGpt(o: Fields): Omit<ImportedPair, 'line'> {
  const turns = readTurns(o, 'conversations', 'from', 'value');
  return qa(
    'sharegpt',
    o,
    turnText(turns, 0, ['human', 'user']),
    turnText(turns, 1, ['gpt', 'assistant']),
  );
}

interface Turn {
  speaker: string;
  content: string;
}

/** A conversation's turns without system messages: exactly one question and one answer. */
function readTurns(o: Fields, key: string, speakerKey: string, contentKey: string): Turn[] {
  const list = o[key];
  if (!Array.isArray(list)) throw new BadField(`${key} must be an array (found ${kindOf(list)})`);
  const turns: Turn[] = [];
  list.forEach((m: unknown, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m))
      throw new BadField(`${key}[${i}] must be an object (found ${kindOf(m)})`);
    const speaker = text(m as Fields, speakerKey, `${key}[${i}].${speakerKey}`);
    const content = text(m as Fields, contentKey, `${key}[${i}].${contentKey}`);
    if (speaker !== 'system') turns.push({ speaker, content });
  });
  if (turns.length !== 2)
    throw new BadField(
      `${key} must hold one question and one answer (found ${turns.length} turns)`,
    );
  return turns;
}

/** The turn's text, when it comes from one of the expected speakers (first name preferred). */
function turnText(turns: Turn[], index: 0 | 1, speakers: readonly [string, ...string[]]): string {
  const turn = turns[index];
  if (!turn || !speakers.includes(turn.speaker))
    throw new BadField(
      `turn ${index + 1} must be from "${speakers[0]}" (found ${JSON.stringify(clip(turn?.speaker ?? ''))})`,
    );
  return turn.content;
}

function readAlpaca(o: Fields): Omit<ImportedPair, 'line'> {
  const instruction = text(o, 'instruction');
  const input = o['input'] === undefined ? '' : text(o, 'input');
  // Alpaca's own prompt template puts the input after the instruction.
  const question = input.trim() === '' ? instruction : `${instruction}\n\n${input}`;
  return qa('alpaca', o, question, text(o, 'output'));
}

// A lone surrogate would turn into U+FFFD on the next export, silently changing the text.
const LONE_SURROGATE = /\p{Cs}/u;

function text(o: Fields, key: string, label: string = key): string {
  const v = o[key];
  if (v === undefined) throw new BadField(`missing ${label}`);
  if (typeof v !== 'string') throw new BadField(`${label} must be a string (found ${kindOf(v)})`);
  if (LONE_SURROGATE.test(v)) throw new BadField(`${label} holds an unpaired UTF-16 surrogate`);
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return `number ${v}`;
  return typeof v === 'string' ? 'a string' : typeof v;
}

function keyList(o: Fields): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(clip(k)));
  return shown.join(', ') + (keys.length > 6 ? `, and ${keys.length - 6} more` : '');
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
