// Turns a bait or rewrite reply into one question. 'clean' removes only what surrounds the
// problem (preambles, headings, answers, sign-offs); 'paper' is the released code's lossy cleaner.
import { splitThinking } from './thinking';

export type QuestionMode = 'clean' | 'paper';

export interface ExtractQuestionOptions {
  mode?: QuestionMode;
}

export function extractQuestion(
  reply: string,
  options: ExtractQuestionOptions = {},
): string | null {
  const { text } = splitThinking(reply);
  return options.mode === 'paper' ? paperQuestion(text) : cleanQuestion(text);
}

/**
 * The paper's cleaner, lossy on purpose and offered only as the paper-faithful option: it keeps
 * the text after "Problem:", deletes $ % / + = - and apostrophes, and splits decimals (3.5 -> 3 5).
 */
function paperQuestion(text: string): string | null {
  const marker = text.lastIndexOf('Problem:');
  const body = marker === -1 ? text : text.slice(marker + 'Problem:'.length);
  const out = body
    .replace(/(\d)\.(\d)/g, '$1 $2')
    .replace(/[$%/+=\-'’]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > 0 ? out : null;
}

/** An interjection that opens a chatty reply: "Sure!", "Okay,", "What a fun challenge!" */
const INTERJECTION = String.raw`(?:sure|okay|ok|certainly|of course|absolutely|alright|great|perfect|what a [a-z ]{1,30})\s*[!.,]`;

const LEAD_IN = String.raw`(?:${INTERJECTION}|(?:here(?:'s|’s| is| are)|i(?:'ve|’ve| have) (?:created|come up with|written)|i(?:'d|’d| would) (?:be happy|love)|below is|this is (?:a|an|one|your))\b)`;

/** "Sure! Here's a unique math word problem:" ahead of the problem on the same line. */
// No digits before the colon, so "Sure! A train leaves at 3:45..." keeps its time.
const INLINE_PREAMBLE = new RegExp(`^${LEAD_IN}[^:\\n?\\d]{0,120}:\\s*`, 'i');

/** "Sure!" ahead of the problem on the same line, with no colon to end it. */
const LEADING_INTERJECTION = new RegExp(`^${INTERJECTION}\\s+`, 'i');

/** A line that only introduces the problem. */
const PREAMBLE_LINE = new RegExp(`^${LEAD_IN}[^?]*$`, 'i');

/** "Problem:", "Math Word Problem 1:", "Question:" as a label before the problem. */
const LABEL =
  /^(?:(?:high school |unique |new |modified |rewritten |revised )?(?:math(?:ematics)? )?(?:word )?(?:problem|question)(?: \d+)?|title)\s*[:.]\s*/i;

const NEXT_PROBLEM = /^(?:math(?:ematics)? )?(?:word )?problem\s*\d*\s*[:.]/i;

/** Where the problem ends: an answer, a solution, notes, hints, or a sign-off. */
const TRAILER =
  /^(?:\(?\s*(?:answers?|solutions?|notes?|hints?|explanation|final answer|step \d+|to solve|let(?:'s|’s) solve)\b\s*[:.(-]|(?:answers?|solutions?|explanation|step \d+)$|(?:i hope|hope you|let me know|good luck|have fun|enjoy|feel free|this problem (?:requires|involves|tests|is)|can you (?:solve|figure)|try to solve)\b)/i;

/** "#### 20" (GSM8K's answer line) is read before markdown headings are unwrapped. */
const ANSWER_LINE = /^####\s*(?:answer\b|[-$\d])/i;

function stripMarkdown(line: string): string {
  return line
    .replace(/^#{1,6}\s+/, '')
    .replace(/^\s*(?:[-*•]|>)\s+/, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)\*(?=\S)([^*\n]*[A-Za-z][^*\n]*?)(?<=\S)\*(?=$|[\s.,;:!?])/g, '$1$2')
    .trim();
}

function isTitle(raw: string, line: string): boolean {
  const styled = /^#{1,6}\s|^\s*\*\*[^*]+\*\*\s*:?\s*$|^\s*__[^_]+__\s*$/.test(raw);
  return styled && !line.includes('?') && line.split(/\s+/).length <= 12;
}

function stripQuotes(text: string): string {
  const pairs: [string, string][] = [
    ['"', '"'],
    ['“', '”'],
    ["'", "'"],
    ['`', '`'],
  ];
  for (const [open, close] of pairs) {
    if (text.length > 2 && text.startsWith(open) && text.endsWith(close)) {
      return text.slice(open.length, -close.length).trim();
    }
  }
  return text;
}

/** Drops a sign-off or note that follows the question on the same line. */
function cutInlineTrailer(text: string): string {
  return text
    .replace(/\s*\((?:note|hint)\b[^)]*\)\s*$/i, '')
    .replace(
      /([.?!])\s+(?:(?:answer|solution|hint|note)\s*:|(?:i hope|let me know|good luck|enjoy|have fun|feel free)\b).*$/i,
      '$1',
    )
    .trim();
}

/** A rewrite reply may quote the original first; the problem is after its last such label. */
const REWRITE_LABEL =
  /^[#*\s]*(?:modified|new|rewritten|revised|updated|different)\s+(?:version|question|problem)\b[^:\n]{0,40}:/gim;

function cleanQuestion(text: string): string | null {
  const kept: string[] = [];
  const rewrite = [...text.matchAll(REWRITE_LABEL)].at(-1);
  const body = rewrite === undefined ? text : text.slice((rewrite.index ?? 0) + rewrite[0].length);
  for (const raw of body.split('\n')) {
    let line = stripMarkdown(raw);
    if (line.length === 0) continue;
    if (kept.length > 0) {
      // The problem is over at its answer, a sign-off, or the next problem.
      if (TRAILER.test(line) || NEXT_PROBLEM.test(line) || ANSWER_LINE.test(raw.trim())) break;
    } else {
      if (PREAMBLE_LINE.test(line) && !INLINE_PREAMBLE.test(line)) continue;
      // A reply that opens with an answer or a solution holds no question.
      if (TRAILER.test(line) || ANSWER_LINE.test(raw.trim())) return null;
      line = line.replace(INLINE_PREAMBLE, '').replace(LEADING_INTERJECTION, '');
      if (isTitle(raw, line)) continue;
    }
    line = stripQuotes(line.replace(LABEL, '').replace(INLINE_PREAMBLE, ''));
    if (line.length > 0) kept.push(line);
  }
  const question = stripQuotes(cutInlineTrailer(kept.join(' ').replace(/\s+/g, ' ').trim()));
  return looksLikeQuestion(question) ? question : null;
}

const REFUSAL = /^(?:i'm sorry|i am sorry|sorry|i can(?:'|no)t|i cannot|i won't|as an ai)\b/i;
const ASKS =
  /\?|\b(?:find|calculate|compute|determine|how|what|which|who|when|where|why|evaluate|solve|simplify|show|prove|express|estimate|give|list|round|write)\b/i;

function looksLikeQuestion(text: string): boolean {
  if (REFUSAL.test(text)) return false;
  if (text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length < 5) return false;
  return ASKS.test(text);
}
