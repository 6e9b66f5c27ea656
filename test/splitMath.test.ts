import { describe, expect, it } from 'vitest';
import { splitMath } from '../src/lib/math/splitMath';

const kinds = (s: string) => splitMath(s).map((p) => (p.kind === 'math' ? `[${p.tex}]` : p.text));

describe('splitMath', () => {
  it('keeps currency as text', () => {
    expect(kinds('She pays $5 and $10 for two books.')).toEqual([
      'She pays $5 and $10 for two books.',
    ]);
    expect(kinds('It costs $5, then $6.50 more.')).toEqual(['It costs $5, then $6.50 more.']);
    expect(kinds('Between $ 3 and $4')).toEqual(['Between $ 3 and $4']);
  });
  it('finds inline and display math', () => {
    expect(kinds('Solve $x^2 = 4$ now')).toEqual(['Solve ', '[x^2 = 4]', ' now']);
    expect(kinds('So $$\\frac{1}{2}$$.')).toEqual(['So ', '[\\frac{1}{2}]', '.']);
    expect(kinds('a \\(x+1\\) b \\[y\\] c')).toEqual(['a ', '[x+1]', ' b ', '[y]', ' c']);
    const display = splitMath('$$a$$ \\[b\\] $c$ \\(d\\)').filter((p) => p.kind === 'math');
    expect(display.map((p) => p.kind === 'math' && p.display)).toEqual([true, true, false, false]);
  });
  it('treats escaped dollars as text', () => {
    expect(kinds('A \\$5 fee and \\$x\\$')).toEqual(['A $5 fee and $x$']);
  });
  it('leaves unbalanced delimiters as text', () => {
    expect(kinds('Price $x')).toEqual(['Price $x']);
    expect(kinds('open $$ x')).toEqual(['open $$ x']);
    expect(kinds('a \\( b')).toEqual(['a \\( b']);
    expect(kinds('cost $')).toEqual(['cost $']);
  });
  it('does not let inline math cross a paragraph', () => {
    expect(kinds('$a\n\nb$')).toEqual(['$a\n\nb$']);
  });
  it('keeps every character', () => {
    for (const s of ['$5 and $x$ y', '$$a$$b$', 'x \\[ y \\] $z']) {
      const joined = splitMath(s)
        .map((p) => (p.kind === 'math' ? p.source : p.text))
        .join('');
      expect(joined.replace(/\$/g, '')).toEqual(s.replace(/\\\$/g, '$').replace(/\$/g, ''));
    }
  });
});
