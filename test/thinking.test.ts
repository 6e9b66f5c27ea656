import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitThinking } from '../src/lib/crescent/thinking';

describe('splitThinking', () => {
  it('leaves a reply without thinking as it is, trimmed', () => {
    expect(splitThinking('  The answer is 4.\n')).toEqual({
      thinking: null,
      text: 'The answer is 4.',
    });
  });

  it('separates a leading thinking block from the reply', () => {
    const raw = '<think>\nTwo plus two is four.\n</think>\n\nThe answer is 4.';
    expect(splitThinking(raw)).toEqual({
      thinking: 'Two plus two is four.',
      text: 'The answer is 4.',
    });
  });

  it('reports an empty thinking block (thinking switched off) as no thinking', () => {
    expect(splitThinking('<think>\n\n</think>\n\nA train leaves at 9.')).toEqual({
      thinking: null,
      text: 'A train leaves at 9.',
    });
  });

  it('treats an unterminated block as thinking cut off by the token limit', () => {
    expect(splitThinking('<think>Let me compute 17 * 23, that is')).toEqual({
      thinking: 'Let me compute 17 * 23, that is',
      text: '',
    });
  });

  it('reads a reply that starts inside thinking and only closes it', () => {
    expect(splitThinking('The user wants a problem.\n</think>\nWhat is 3 + 4?')).toEqual({
      thinking: 'The user wants a problem.',
      text: 'What is 3 + 4?',
    });
  });

  it('keeps text on both sides of a block in the middle and joins several blocks', () => {
    const raw = 'Intro. <think>first</think> Middle. <think>second</think> End.';
    expect(splitThinking(raw)).toEqual({
      thinking: 'first\n\nsecond',
      text: 'Intro.  Middle.  End.',
    });
  });

  it('never leaves a think tag in the text of a well-formed reply', () => {
    const piece = fc.string().filter((s) => !s.includes('<think>') && !s.includes('</think>'));
    fc.assert(
      fc.property(piece, piece, (thought, reply) => {
        const { thinking, text } = splitThinking(`<think>${thought}</think>${reply}`);
        expect(text).toBe(reply.trim());
        expect(thinking).toBe(thought.trim() === '' ? null : thought.trim());
      }),
    );
  });
});
