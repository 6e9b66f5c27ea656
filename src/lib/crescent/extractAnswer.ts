// Reads the final answer out of a worked reply, as a canonical string for voting.
// 'robust' trusts explicit markers before falling back to the last number; 'paper' is the
// released code's rule (last number, compared as a float).
import {
  VALUE_PATTERN,
  canonicalAnswerText,
  canonicalNumber,
  canonicalOfMatch,
  normaliseMath,
} from './canonicalAnswer';

export type AnswerMode = 'robust' | 'paper';

export interface ExtractAnswerOptions {
  mode?: AnswerMode;
}

export function extractAnswer(reply: string, options: ExtractAnswerOptions = {}): string | null {
  return options.mode === 'paper' ? paperAnswer(reply) : robustAnswer(reply);
}

/** The paper's rule: commas removed, then the last `-?\d+\.?\d*`, compared as a float. */
function paperAnswer(reply: string): string | null {
  const numbers = reply.replace(/,/g, '').match(/-?\d+\.?\d*/g);
  const last = numbers?.at(-1);
  return last === undefined ? null : canonicalNumber(parseFloat(last));
}

/**
 * Prose markers, most trusted first. Within one kind the last occurrence wins; an occurrence
 * with nothing readable after it (a markdown heading "#### Step 1", "the answer is below") is skipped.
 */
const PROSE_MARKERS: readonly { pattern: RegExp; strictStart: boolean }[] = [
  // "#### 18" and "#### Answer: 18"; "#### Step 2: ..." is a heading, so a bare #### needs a value first.
  { pattern: /####\s*(?:(?:final\s+)?answer\s*:?)?/gi, strictStart: true },
  { pattern: /\bfinal\s+answer\s*(?:is|:)\s*:?/gi, strictStart: false },
  // "the answer is", "the answer (arabic numerals) is", "the answer would be"
  { pattern: /\banswer\s*(?:\([^)\n]*\)\s*)?(?:is|would be|will be|=)\s*:?/gi, strictStart: false },
  { pattern: /\banswer\s*:/gi, strictStart: false },
];

function robustAnswer(reply: string): string | null {
  const text = normaliseMath(reply);
  const boxed = lastBoxed(text) ?? lastJsonAnswer(text);
  if (boxed !== null) return boxed;
  // A value written right after a marker beats one picked out of a sentence ("The answer is that
  // she needs 5 dozens for 30 days"), whichever marker the sentence follows.
  for (const inSentence of [false, true]) {
    for (const { pattern, strictStart } of PROSE_MARKERS) {
      if (inSentence && strictStart) continue;
      const ends = [...text.matchAll(pattern)].map((m) => (m.index ?? 0) + m[0].length);
      for (const end of ends.reverse()) {
        const answer = readAfterMarker(text.slice(end), strictStart, inSentence);
        if (answer !== null) return answer;
      }
    }
  }
  return lastValue(text);
}

/** A JSON "answer" field holds only the answer, like a box ("answer": "-8 + √29" is not -8). */
function lastJsonAnswer(text: string): string | null {
  const fields = [...text.matchAll(/"answer"\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|(-?[\d.]+))/g)];
  for (const field of fields.reverse()) {
    // Only the first line of the string; escaped quotes are quotes.
    const content = (field[1] ?? field[2] ?? '').split('\\n')[0] ?? '';
    const answer = canonicalAnswerText(content.replace(/\\"/g, '"'));
    if (answer !== null) return answer;
  }
  return null;
}

/** Content of the last readable \boxed{...} or \fbox{...}, with nested braces kept whole. */
function lastBoxed(text: string): string | null {
  const starts = [...text.matchAll(/\\(?:boxed|fbox)\s*\{/g)].map(
    (m) => (m.index ?? 0) + m[0].length,
  );
  for (const start of starts.reverse()) {
    let depth = 1;
    let i = start;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    if (depth !== 0) continue;
    const answer = canonicalAnswerText(text.slice(start, i - 1));
    if (answer !== null) return answer;
  }
  return null;
}

/**
 * The value that opens the clause after a marker (after an "=", the value it equals); with
 * inSentence, the first value anywhere in that clause.
 */
function readAfterMarker(after: string, strictStart: boolean, inSentence: boolean): string | null {
  const line = /^[ \t]*\n?[ \t]*([^\n]*)/.exec(after)?.[1] ?? '';
  const head = line.replace(/^[\s:*"'`]+/, '');
  if (strictStart && !/^(?:[-$€£¥.\d]|\\\w)/.test(head)) return null;
  // A full stop ends the clause unless it is a decimal point.
  let clause = head.split(/[.!?;](?=\s|$)/)[0] ?? '';
  const lastEquals = clause.lastIndexOf('=');
  if (lastEquals !== -1) clause = clause.slice(lastEquals + 1);
  // "18 apples" opens with its value; "Janet makes 18 dollars" holds one, read only inSentence.
  const first = new RegExp(VALUE_PATTERN.source).exec(clause);
  if (first && (inSentence || /^\s*$/.test(clause.slice(0, first.index)))) {
    return canonicalOfMatch(first);
  }
  if (inSentence) return null;
  // A non-numeric answer counts only when it is written as math ($...$), not as prose.
  const math = /^\s*\$([^$]+)\$/.exec(clause);
  return math?.[1] !== undefined ? canonicalAnswerText(math[1]) : null;
}

function lastValue(text: string): string | null {
  const matches = [...text.matchAll(VALUE_PATTERN)];
  for (const match of matches.reverse()) {
    const value = canonicalOfMatch(match);
    if (value !== null) return value;
  }
  return null;
}
