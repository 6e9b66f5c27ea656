// The JSONL shapes a QA pair is written in: the app's own `full` record and three common
// fine-tuning shapes. One pair becomes one line of JSON.
import { agreementRange, exactAgreement } from '../crescent/agreement';
import type { QaPairRecord, QuestionOrigin } from '../crescent/types';

export type ExportFormat = 'full' | 'openai' | 'sharegpt' | 'alpaca';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['full', 'openai', 'sharegpt', 'alpaca'];

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
    /** When the consensus was reached, ISO 8601. */
    created_at: string;
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
  return {
    question: pair.question,
    answer_text: pair.answerText,
    final_answer: pair.answer,
    votes: pair.votes,
    abstained: pair.abstained,
    samples: pair.samples,
    k: voted ? pair.k : null,
    agreement: exactAgreement(pair),
    agreement_range: agreementRange(pair),
    min_votes: voted ? pair.minVotes : null,
    passes_bar: voted ? pair.passes : null,
    model: pair.model,
    recipe_id: context.recipeId,
    run_id: pair.runId,
    question_seq: pair.questionSeq,
    rejected_before: context.rejectedBefore,
    provenance: {
      generator: 'crescent-web',
      method: voted ? 'crescent' : 'imported',
      origin: voted ? context.origin : null,
      created_at: new Date(pair.createdAt).toISOString(),
    },
  };
}

function openAiLine(pair: QaPairRecord): OpenAiLine {
  return {
    messages: [
      { role: 'user', content: pair.question },
      { role: 'assistant', content: pair.answerText },
    ],
  };
}

function shareGptLine(pair: QaPairRecord): ShareGptLine {
  return {
    conversations: [
      { from: 'human', value: pair.question },
      { from: 'gpt', value: pair.answerText },
    ],
  };
}

function alpacaLine(pair: QaPairRecord): AlpacaLine {
  return { instruction: pair.question, input: '', output: pair.answerText };
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

/** The line (without its line end) for one pair in the given format. */
export function formatPair(
  pair: QaPairRecord,
  format: ExportFormat,
  context?: PairContext,
): string {
  switch (format) {
    case 'full':
      return jsonLine(fullLine(pair, context));
    case 'openai':
      return jsonLine(openAiLine(pair));
    case 'sharegpt':
      return jsonLine(shareGptLine(pair));
    case 'alpaca':
      return jsonLine(alpacaLine(pair));
  }
}
