// Paper-faithful mode: each of the released code's rules, with a test that fails when its
// wiring breaks (the default rule put back in its place).
import { describe, expect, it } from 'vitest';
import { runCrescent } from '../src/lib/crescent/run';
import { UNREADABLE_ANSWER_KEY } from '../src/lib/crescent/vote';
import type { ChatReply } from '../src/lib/crescent/types';
import { doubles, testConfig } from './support/runFixture';

const withText = (reply: ChatReply, text: string): ChatReply => ({ ...reply, text });

function everyOtherRewriteUnreadable() {
  let rewrites = 0;
  return (reply: ChatReply, { kind }: { kind: string }) =>
    kind === 'rewrite' && ++rewrites % 2 === 1 ? withText(reply, '') : reply;
}

describe('paper-faithful mode', () => {
  it('asks for exactly one rewrite of a rejected bait question and accepts it unchecked', async () => {
    // Half the rewrites come back unreadable: the default mode would ask again.
    const d = doubles({ topics: 3, alter: everyOtherRewriteUnreadable() });
    const config = testConfig({ faithful: true, maxRewrites: 2, targetQuestions: 10 });
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const rewrites = snap.questions.filter((q) => q.origin === 'rewrite');
    const parents = rewrites.map((q) => q.parentSeq);

    expect(rewrites.some((q) => q.reason === 'no-question')).toBe(true);
    expect(new Set(parents).size).toBe(parents.length);
    expect(rewrites.every((q) => q.attempt === 1)).toBe(true);
    expect(rewrites.every((q) => q.status === 'accepted' || q.reason === 'no-question')).toBe(true);
    expect(rewrites.some((q) => (q.similarity ?? 0) > config.similarityThreshold)).toBe(true);
    // Every too-similar bait got its one rewrite, judged `rewriteDelay` proposals later, unless
    // the run ended first.
    const rejectedBaits = snap.questions.filter(
      (q) =>
        q.origin === 'bait' &&
        q.reason === 'too-similar' &&
        q.seq + config.rewriteDelay < snap.questions.length,
    );
    expect(rejectedBaits.length).toBeGreaterThan(0);
    expect(rejectedBaits.every((q) => parents.includes(q.seq))).toBe(true);
  });

  it('by default checks a rewrite again and retries an unreadable one', async () => {
    const d = doubles({ topics: 3, alter: everyOtherRewriteUnreadable() });
    const config = testConfig({ maxRewrites: 2, targetQuestions: 10 });
    await runCrescent(config, d);
    const rewrites = (await d.store.load(config.runId)).questions.filter(
      (q) => q.origin === 'rewrite',
    );
    expect(rewrites.some((q) => q.attempt === 2)).toBe(true);
    const accepted = rewrites.filter((q) => q.status === 'accepted');
    expect(accepted.every((q) => (q.similarity ?? 0) <= config.similarityThreshold)).toBe(true);
  });

  it('cleans questions with the paper’s lossy cleaner', async () => {
    const text = 'Problem: Ann pays $3.50 for 2/3 of a pie, a 10% share. What does it cost?';
    const alter = (reply: ChatReply, { kind }: { kind: string }) =>
      kind === 'bait' ? withText(reply, text) : reply;
    const faithful = doubles({ alter });
    const clean = doubles({ alter });
    await runCrescent(testConfig({ faithful: true, targetQuestions: 1 }), faithful);
    await runCrescent(testConfig({ targetQuestions: 1 }), clean);
    const [paperQ] = (await faithful.store.load('run-1')).questions;
    const [cleanQ] = (await clean.store.load('run-1')).questions;
    expect(paperQ?.text).toBe('Ann pays 3 50 for 23 of a pie, a 10 share. What does it cost?');
    expect(cleanQ?.text).toBe('Ann pays $3.50 for 2/3 of a pie, a 10% share. What does it cost?');
  });

  it('reads the last number of a reply as its answer', async () => {
    const reply = 'The answer is 7.\nCheck: 3 + 4 = 7, and ten more would be 17';
    const alter = (r: ChatReply, { kind }: { kind: string }) =>
      kind === 'answer' ? withText(r, reply) : r;
    const faithful = doubles({ alter });
    const robust = doubles({ alter });
    await runCrescent(testConfig({ faithful: true, targetQuestions: 1 }), faithful);
    await runCrescent(testConfig({ targetQuestions: 1 }), robust);
    expect((await faithful.store.load('run-1')).pairs[0]?.answer).toBe('17');
    expect((await robust.store.load('run-1')).pairs[0]?.answer).toBe('7');
  });

  it('lets unreadable answers vote, and win', async () => {
    const alter = (r: ChatReply, { kind }: { kind: string }) =>
      kind === 'answer' ? withText(r, 'I am not sure how to solve this.') : r;
    const faithful = doubles({ alter });
    const robust = doubles({ alter });
    await runCrescent(testConfig({ faithful: true, targetQuestions: 1 }), faithful);
    await runCrescent(testConfig({ targetQuestions: 1 }), robust);
    // Two unreadable answers settle a paper vote of three; abstaining ones never settle it.
    expect((await faithful.store.load('run-1')).pairs[0]).toMatchObject({
      answer: null,
      votes: { [UNREADABLE_ANSWER_KEY]: 2 },
      samples: 2,
      abstained: 0,
    });
    expect((await robust.store.load('run-1')).pairs[0]).toMatchObject({
      answer: null,
      votes: {},
      samples: 3,
      abstained: 3,
    });
  });
});
