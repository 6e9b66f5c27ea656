// The JSONL shapes a QA pair is written in: the app's own `full` record, three common
// fine-tuning shapes, and preference records from split votes. One pair becomes at most one line.
import { agreementRange, exactAgreement } from '../crescent/agreement';
import type { AnswerSampleRecord, QaPairRecord, QuestionOrigin } from '../crescent/types';
import { answerCorrected, isEdited, shownAnswer, shownAnswerText, shownQuestion } from './curated';

export type ExportFormat = 'full' | 'openai' | 'sharegpt' | 'alpaca' | 'dpo';

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  'full',
  'openai',
  'sharegpt',
  'alpaca',
  'dpo',
];

/** One line of the `full` format. Keys are snake_case, as in most published datasets. */
export interface FullPairLine {
  question: string;
  /** The first sampled reply that agrees with the winning answer; '' when nothing won. */
  answer_text: string;
  /** Canonical winning answer; null when no sample had a readable answer. */
  final_answer: string | null;
  /** Canonical answer -> number of samples that gave it. */
  votes: Record<string, number>;
  /** Samples with no readable answer. */
  abstained: number;
  /** Samples drawn (adaptive voting may stop before k). */
  samples: number;
  /** Samples the recipe asked for; null for a pair imported without vote data. */
  k: number | null;
  /**
   * The winner's share of all k samples when it is known: null when sampling stopped early (see
   * agreement_range) or the pair has no vote data (unknown, which is not the same as 0).
   */
  agreement: number | null;
  /** The lowest and highest share all k samples can give the winner; null without vote data. */
  agreement_range: [number, number] | null;
  /** Votes the winner needed to pass the run's quality bar (0: no bar); null without vote data. */
  min_votes: number | null;
  /** Whether all k samples pass the bar (exact also when sampling stopped early); null without votes. */
  passes_bar: boolean | null;
  /** The benchmark question a decontamination check found this pair leaking; null when none did. */
  contamination: ContaminationLine | null;
  /**
   * What the model wrote, when the user corrected the question, the answer text or the final
   * answer (the fields above then hold the corrections; the vote stays the model's); else null.
   */
  original: { question: string; answer_text: string; final_answer: string | null } | null;
  model: string;
  /** Id of the recipe the run used; null when the caller did not supply one. */
  recipe_id: string | null;
  run_id: string;
  /** Position of the accepted question in its run's proposal sequence (0-based). */
  question_seq: number;
  /**
   * Proposals of the same run rejected before this question was accepted (seq below
   * question_seq): how hard the run had to work to find it. Null when questions were not supplied.
   */
  rejected_before: number | null;
  provenance: {
    generator: 'crescent-web';
    /** 'imported' for a pair read from a file without vote data: not made by this method. */
    method: 'crescent' | 'imported';
    /** Whether the question came straight from the bait prompt or from a rewrite; null when unknown. */
    origin: QuestionOrigin | null;
    /** Whether the user corrected this pair by hand (see `original`). */
    edited: boolean;
    /** When the consensus was reached, ISO 8601. */
    created_at: string;
  };
}

export interface ContaminationLine {
  benchmark: string;
  /** 0-based position of the matched question in the benchmark file. */
  benchmark_index: number;
  benchmark_question: string;
  rule: 'ngram' | 'embedding';
  ngram: string | null;
  similarity: number | null;
}

function contaminationLine(pair: QaPairRecord): ContaminationLine | null {
  const hit = pair.contamination;
  if (!hit) return null;
  return {
    benchmark: hit.benchmark,
    benchmark_index: hit.index,
    benchmark_question: hit.question,
    rule: hit.by,
    ngram: hit.ngram ?? null,
    similarity: hit.similarity ?? null,
  };
}

export interface OpenAiLine {
  messages: [{ role: 'user'; content: string }, { role: 'assistant'; content: string }];
}

export interface ShareGptLine {
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
}

export interface AlpacaLine {
  instruction: string;
  input: string;
  output: string;
}

/** What the `full` format needs beyond the pair itself; see `questionContext`. */
export interface PairContext {
  recipeId: string | null;
  origin: QuestionOrigin | null;
  rejectedBefore: number | null;
}

const NO_CONTEXT: PairContext = { recipeId: null, origin: null, rejectedBefore: null };

/**
 * Whether the pair's answer came out of a vote. Every run asks for k >= 1 samples; k 0 marks a
 * pair imported from a file that carried no votes, whose agreement is unknown rather than 0.
 */
function hasVotes(pair: Pick<QaPairRecord, 'k'>): boolean {
  return pair.k > 0;
}

export function fullLine(pair: QaPairRecord, context: PairContext = NO_CONTEXT): FullPairLine {
  const voted = hasVotes(pair);
  const edited = isEdited(pair);
  return {
    question: shownQuestion(pair),
    answer_text: shownAnswerText(pair),
    final_answer: shownAnswer(pair),
    votes: pair.votes,
    abstained: pair.abstained,
    samples: pair.samples,
    k: voted ? pair.k : null,
    agreement: exactAgreement(pair),
    agreement_range: agreementRange(pair),
    min_votes: voted ? pair.minVotes : null,
    passes_bar: voted ? pair.passes : null,
    contamination: contaminationLine(pair),
    original: edited
      ? { question: pair.question, answer_text: pair.answerText, final_answer: pair.answer }
      : null,
    model: pair.model,
    recipe_id: context.recipeId,
    run_id: pair.runId,
    question_seq: pair.questionSeq,
    rejected_before: context.rejectedBefore,
    provenance: {
      generator: 'crescent-web',
      method: voted ? 'crescent' : 'imported',
      origin: voted ? context.origin : null,
      edited,
      created_at: new Date(pair.createdAt).toISOString(),
    },
  };
}

function openAiLine(pair: QaPairRecord): OpenAiLine {
  return {
    messages: [
      { role: 'user', content: shownQuestion(pair) },
      { role: 'assistant', content: shownAnswerText(pair) },
    ],
  };
}

function shareGptLine(pair: QaPairRecord): ShareGptLine {
  return {
    conversations: [
      { from: 'human', value: shownQuestion(pair) },
      { from: 'gpt', value: shownAnswerText(pair) },
    ],
  };
}

function alpacaLine(pair: QaPairRecord): AlpacaLine {
  return { instruction: shownQuestion(pair), input: '', output: shownAnswerText(pair) };
}

/** A preference record in the shape TRL's DPOTrainer and LLaMA-Factory read. */
export interface DpoLine {
  prompt: string;
  /** A reply whose final answer is the vote's winner. */
  chosen: string;
  /** A reply whose final answer lost the vote. */
  rejected: string;
}

/**
 * Whether a pair can give a preference record: it passes its run's bar, has a winner, and at
 * least one sample gave a different readable answer. Decided from the pair alone, so a count
 * of preference records needs no samples.
 */
export function hasPreference(pair: QaPairRecord): boolean {
  // A corrected final answer overrules the vote: its samples no longer say which reply is right.
  if (!pair.passes || pair.answer === null || answerCorrected(pair)) return false;
  return Object.keys(pair.votes).some((answer) => answer !== pair.answer);
}

/**
 * The preference record of a pair from its stored samples: the reply the pair keeps as its answer
 * (else the first agreeing sample) against the first losing sample that ended on its own (else
 * the first losing one). Null when the pair has none, or its samples are not at hand.
 */
export function dpoLine(
  pair: QaPairRecord,
  samples: readonly AnswerSampleRecord[],
): DpoLine | null {
  if (!hasPreference(pair)) return null;
  const winner = pair.answer;
  const agreeing = samples.find((s) => s.answer === winner && s.raw !== '');
  const kept = shownAnswerText(pair);
  const chosen = kept !== '' ? kept : agreeing?.raw;
  const losing = samples.filter((s) => s.answer !== null && s.answer !== winner && s.raw !== '');
  const rejected = (losing.find((s) => s.finishReason === 'stop') ?? losing[0])?.raw;
  if (chosen === undefined || rejected === undefined) return null;
  return { prompt: shownQuestion(pair), chosen, rejected };
}

// JSON allows U+2028/U+2029 and U+0085 raw, but Python's str.splitlines() and some JSONL
// readers break lines on them; escaped, every line survives any line splitter.
const HAS_LINE_BREAKER = /[\u0085\u2028\u2029]/;
const LINE_BREAKERS = /[\u0085\u2028\u2029]/g;

/** JSON text of a value on one line, safe for any JSONL reader. */
export function jsonLine(value: unknown): string {
  const text = JSON.stringify(value);
  return HAS_LINE_BREAKER.test(text)
    ? text.replace(LINE_BREAKERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text;
}

/**
 * The line (without its line end) for one pair in the given format; null when the pair has no
 * line in it (a preference record needs a split vote and the pair's samples).
 */
export function formatPair(
  pair: QaPairRecord,
  format: ExportFormat,
  context?: PairContext,
  samples: readonly AnswerSampleRecord[] = [],
): string | null {
  switch (format) {
    case 'full':
      return jsonLine(fullLine(pair, context));
    case 'openai':
      return jsonLine(openAiLine(pair));
    case 'sharegpt':
      return jsonLine(shareGptLine(pair));
    case 'alpaca':
      return jsonLine(alpacaLine(pair));
    case 'dpo': {
      const line = dpoLine(pair, samples);
      return line && jsonLine(line);
    }
  }
}
