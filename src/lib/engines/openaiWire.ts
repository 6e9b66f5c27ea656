// What an OpenAI-compatible server sends for a chat completion, checked with valibot before any of
// it is read: a reply of the wrong shape fails that request with what was wrong, never as data.
import * as v from 'valibot';
import { CrescentError } from '../crescent/errors';

/** A reply this app cannot read: a failure of that request, kept on its record, never data. */
export function malformedReply(why: string): CrescentError {
  return new CrescentError({
    code: 'server-error',
    message: `The server's reply could not be read: ${why}.`,
    action: 'Check that the endpoint speaks the OpenAI chat completions format.',
    perRequest: true,
  });
}

// Some servers send content as an array of parts ([{ type: 'text', text }]): their text is read.
const TextPart = v.union([v.string(), v.object({ text: v.string() })]);
const WireText = v.nullish(v.union([v.string(), v.array(TextPart)]));

const WireDelta = v.object({
  content: WireText,
  reasoning_content: WireText,
  reasoning: WireText,
});

const WireChoice = v.object({
  delta: v.nullish(WireDelta),
  message: v.nullish(WireDelta),
  finish_reason: v.nullish(v.string()),
});

const count = v.optional(v.number());
const WireUsage = v.object({
  prompt_tokens: count,
  completion_tokens: count,
  completion_tokens_details: v.nullish(v.object({ reasoning_tokens: count })),
});

const WireChunk = v.object({
  choices: v.optional(v.array(WireChoice)),
  // Usage only feeds the statistics: one that cannot be read gives way to estimates.
  usage: v.fallback(v.nullish(WireUsage), null),
});

export type WireChunk = v.InferOutput<typeof WireChunk>;
export type WireUsage = v.InferOutput<typeof WireUsage>;
export type WireText = v.InferOutput<typeof WireText>;

const TEXT_FIELDS: Readonly<Record<string, string>> = {
  content: 'content',
  reasoning_content: 'reasoning',
  reasoning: 'reasoning',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The first thing wrong with the reply, in words. */
function describe(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const at = keys.findIndex((key) => key in TEXT_FIELDS);
  const field = at === -1 ? undefined : TEXT_FIELDS[keys[at] ?? ''];
  if (field !== undefined) {
    // An array of parts that fails is failed by one of its parts.
    return keys.length > at + 1 || Array.isArray(issue.input)
      ? `a part of its ${field} was not text`
      : `its ${field} was ${kindOf(issue.input)}, not text`;
  }
  return `its ${keys.join('.') || 'body'} was ${kindOf(issue.input)}, expected ${issue.expected ?? 'something else'}`;
}

/** A server that reports a failure inside a 200 reply, as some do mid-stream. */
function serverStopped(error: unknown): CrescentError {
  const detail =
    typeof error === 'object' && error !== null && 'message' in error
      ? String(error.message)
      : String(error);
  return new CrescentError({
    code: 'server-error',
    message: `The server stopped this reply: ${detail}`,
    action: "Check the server's log.",
    perRequest: true,
    retryable: true,
  });
}

/** One chunk of a stream, or a whole reply, from its JSON text. */
export function readChunk(json: string): WireChunk {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    const shown = json.length > 80 ? `${json.slice(0, 80)}…` : json;
    throw malformedReply(`it sent ${JSON.stringify(shown)}, which is not JSON`);
  }
  if (typeof value === 'object' && value !== null && 'error' in value && value.error != null)
    throw serverStopped(value.error);
  const result = v.safeParse(WireChunk, value);
  if (!result.success) throw malformedReply(describe(result.issues[0]));
  return result.output;
}

/** The text of a message field: a string, nothing, or its text parts joined. */
export function textOf(value: WireText): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return value.map((part) => (typeof part === 'string' ? part : part.text)).join('');
}
