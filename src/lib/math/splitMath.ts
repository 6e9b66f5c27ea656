// Splits model text into plain and math pieces for rendering. Math word problems are full of
// dollar amounts, so an inline `$` opens math only when it is not followed by white space and its
// closing `$` is not preceded by white space nor followed by a digit (pandoc's rule): "$5 and $10"
// stays text. `\$` is a literal dollar sign. An unmatched delimiter is text.

export type MathPiece =
  { kind: 'text'; text: string } | { kind: 'math'; tex: string; display: boolean; source: string };

function findClose(s: string, close: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const j = s.indexOf(close, i);
    if (j < 0) return -1;
    if (s[j - 1] === '\\' && close[0] === '$') {
      i = j + 1;
      continue;
    }
    return j;
  }
  return -1;
}

function findInlineClose(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (c === '\n' && s[j + 1] === '\n') return -1;
    if (c === '\\') {
      j++;
      continue;
    }
    if (c !== '$') continue;
    if (/\s/.test(s[j - 1] ?? '')) continue;
    if (/\d/.test(s[j + 1] ?? '')) continue;
    return j;
  }
  return -1;
}

export function splitMath(s: string): MathPiece[] {
  const out: MathPiece[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const next = s[i + 1];
    if (c === '\\' && next === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (c === '\\' && (next === '(' || next === '[')) {
      const close = next === '(' ? '\\)' : '\\]';
      const j = s.indexOf(close, i + 2);
      if (j > i + 2) {
        flush();
        out.push({
          kind: 'math',
          tex: s.slice(i + 2, j),
          display: next === '[',
          source: s.slice(i, j + 2),
        });
        i = j + 2;
        continue;
      }
    }
    if (c === '$' && next === '$') {
      const j = findClose(s, '$$', i + 2);
      if (j > i + 2 && s.slice(i + 2, j).trim()) {
        flush();
        out.push({
          kind: 'math',
          tex: s.slice(i + 2, j),
          display: true,
          source: s.slice(i, j + 2),
        });
        i = j + 2;
        continue;
      }
      text += '$$';
      i += 2;
      continue;
    }
    if (c === '$' && next !== undefined && !/\s/.test(next)) {
      const j = findInlineClose(s, i + 1);
      if (j > i + 1) {
        flush();
        out.push({
          kind: 'math',
          tex: s.slice(i + 1, j),
          display: false,
          source: s.slice(i, j + 1),
        });
        i = j + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}
