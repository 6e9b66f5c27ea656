// Reads a benchmark file: JSON Lines (GSM8K, MATH-500) or one JSON array, one question per row,
// under the first of the field names these datasets use.
import { CrescentError } from '../crescent/errors';

const QUESTION_FIELDS = ['question', 'problem', 'prompt', 'input', 'text'] as const;

function questionOf(row: unknown): string | null {
  if (typeof row === 'string') return row;
  if (typeof row !== 'object' || row === null) return null;
  for (const field of QUESTION_FIELDS) {
    const value = (row as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

function rowsOf(text: string, name: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const rows: unknown = JSON.parse(trimmed);
      if (Array.isArray(rows)) return rows;
    } catch {
      // Not one JSON array: read it as JSON Lines below, which names the bad line.
    }
  }
  return trimmed.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      throw unreadable(name, `line ${i + 1} is not JSON`);
    }
  });
}

function unreadable(name: string, why: string): CrescentError {
  return new CrescentError({
    code: 'invalid-import',
    message: `The benchmark ${name} could not be read: ${why}.`,
    action: 'Give a JSON Lines file with a "question" or "problem" field on every line.',
  });
}

/** The benchmark's questions, in file order; a file with none, or an unreadable row, is refused. */
export function parseBenchmark(text: string, name: string): string[] {
  const rows = rowsOf(text, name);
  const questions: string[] = [];
  for (const [i, row] of rows.entries()) {
    const q = questionOf(row);
    if (q === null) {
      throw unreadable(name, `row ${i + 1} has no ${QUESTION_FIELDS.join(', ')} text`);
    }
    questions.push(q);
  }
  if (questions.length === 0) throw unreadable(name, 'it holds no questions');
  return questions;
}
