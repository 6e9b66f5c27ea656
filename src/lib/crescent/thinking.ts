// Separates a thinking model's <think>...</think> blocks (Qwen3 family) from its visible reply,
// so only the reply is stored and read for an answer.

export interface SplitReply {
  /** Everything inside thinking blocks, trimmed; null when the model did not think (or thought nothing). */
  thinking: string | null;
  /** The reply with thinking removed, trimmed. */
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export function splitThinking(raw: string): SplitReply {
  const firstOpen = raw.indexOf(OPEN);
  const firstClose = raw.indexOf(CLOSE);
  if (firstOpen === -1 && firstClose === -1) return { thinking: null, text: raw.trim() };

  const thoughts: string[] = [];
  const visible: string[] = [];
  let rest = raw;
  // A chat template may open the block in the prompt, so the reply starts inside it.
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    thoughts.push(raw.slice(0, firstClose));
    rest = raw.slice(firstClose + CLOSE.length);
  }
  for (;;) {
    const open = rest.indexOf(OPEN);
    if (open === -1) {
      visible.push(rest);
      break;
    }
    visible.push(rest.slice(0, open));
    const inside = rest.slice(open + OPEN.length);
    const close = inside.indexOf(CLOSE);
    if (close === -1) {
      // Cut off mid-thought (token limit): everything after the tag is thinking.
      thoughts.push(inside);
      break;
    }
    thoughts.push(inside.slice(0, close));
    rest = inside.slice(close + CLOSE.length);
  }

  const thinking = thoughts
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .join('\n\n');
  return {
    thinking: thinking.length > 0 ? thinking : null,
    text: visible.join('').trim(),
  };
}
