import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { runCrescent } from '../src/lib/crescent/run';
import type { ChatReply } from '../src/lib/crescent/types';
import { doubles, testConfig } from './support/runFixture';

const refused = () =>
  new CrescentError({
    code: 'bad-request',
    message: 'The server refused the request: model not found.',
    action: 'Check the model name.',
    perRequest: true,
  });

describe('failures that surface', () => {
  it('keeps a failed request’s message and action on the record it produced', async () => {
    const d = doubles({
      onCall: ({ call }) => {
        if (call === 2 || call === 5) throw refused();
      },
    });
    const config = testConfig();
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const failed = [
      ...snap.questions.filter((q) => q.reason === 'engine-error'),
      ...snap.samples.filter((s) => s.finishReason === 'error'),
    ];
    expect(outcome.stopReason).toBe('target');
    expect(failed).toHaveLength(2);
    for (const record of failed) {
      expect(record.error).toEqual({
        code: 'bad-request',
        message: 'The server refused the request: model not found.',
        action: 'Check the model name.',
      });
    }
  });

  it('stops a run whose every request is refused with that error, not as a saturated domain', async () => {
    const d = doubles({
      onCall: () => {
        throw refused();
      },
    });
    const config = testConfig({ saturationWindow: 3 });
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);

    expect(outcome.stopReason).toBe('error');
    expect(outcome.error).toMatchObject({ code: 'bad-request', action: 'Check the model name.' });
    expect(outcome.error?.message).toBe(
      'The last 5 question requests failed. The last one: The server refused the request: model not found.',
    );
    expect(outcome.error?.perRequest).toBe(false);
    expect(snap.questions.map((q) => q.reason)).toEqual(Array(5).fill('engine-error'));
    expect(d.engine.calls).toBe(5);
  });

  it('stops a run whose answer requests are refused, instead of voting on empty answers', async () => {
    const d = doubles({
      onCall: ({ kind }) => {
        if (kind === 'answer') throw refused();
      },
    });
    const config = testConfig();
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);

    expect(outcome.stopReason).toBe('error');
    expect(outcome.error?.message).toMatch(/^The last 5 answer requests failed\./);
    expect(snap.samples).toHaveLength(5);
    expect(snap.samples.every((s) => s.finishReason === 'error' && s.answer === null)).toBe(true);
    expect(outcome.progress.pairs).toBeLessThan(config.targetQuestions);
  });

  it('counts failures in a row for each kind of request: one success starts the count again', async () => {
    const failing = (every: number) => {
      const count = { bait: 0, rewrite: 0, answer: 0 };
      return doubles({
        onCall: ({ kind }) => {
          const n = ++count[kind === 'rewrite' ? 'bait' : kind];
          if (n % every !== 0 && n <= 60) throw refused();
        },
      });
    };
    // Four failures, one success, four failures ...: never five in a row.
    expect((await runCrescent(testConfig(), failing(5))).stopReason).toBe('target');
    // Five failures before the first success.
    expect((await runCrescent(testConfig(), failing(6))).stopReason).toBe('error');
  });

  it('starts the count afresh on resume, so a fixed server gets its chance', async () => {
    let broken = true;
    const d = doubles({
      onCall: () => {
        if (broken) throw refused();
      },
    });
    const config = testConfig();
    expect((await runCrescent(config, d)).stopReason).toBe('error');
    broken = false;
    const second = await runCrescent(config, d);
    expect(second.stopReason).toBe('target');
    expect(second.progress.pairs).toBe(config.targetQuestions);
  });

  it('leaves engine failures out of the saturation window and of recent acceptance', async () => {
    // Every other bait request fails: counted, half the window would be rejections.
    let baits = 0;
    const d = doubles({
      onCall: ({ kind }) => {
        if (kind === 'bait' && ++baits % 2 === 0) throw refused();
      },
    });
    const config = testConfig({
      targetQuestions: 6,
      saturationWindow: 4,
      saturationMinAcceptance: 0.25,
    });
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const counted = snap.questions.filter(
      (q) => q.origin === 'bait' && q.reason !== 'engine-error',
    );
    const lastFour = counted.slice(-4);

    expect(outcome.stopReason).toBe('target');
    expect(snap.questions.some((q) => q.reason === 'engine-error')).toBe(true);
    expect(outcome.progress.recentAcceptance).toBe(
      lastFour.filter((q) => q.status === 'accepted').length / lastFour.length,
    );
  });

  it('judges saturation on bait proposals only, not on their rewrites', async () => {
    const d = doubles({ topics: 2 });
    const config = testConfig({ targetQuestions: 50, saturationWindow: 10 });
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const baits = snap.questions.filter((q) => q.origin === 'bait').slice(-10);

    expect(outcome.stopReason).toBe('saturated');
    expect(snap.questions.some((q) => q.origin === 'rewrite')).toBe(true);
    expect(outcome.progress.recentAcceptance).toBe(
      baits.filter((q) => q.status === 'accepted').length / 10,
    );
  });
});

describe('partial replies are not data', () => {
  const cut = (reply: ChatReply): ChatReply => ({ ...reply, finishReason: 'length' });

  it('rejects a question reply cut by the token limit as truncated and moves on', async () => {
    const d = doubles({
      alter: (reply, { kind, call }) => (kind === 'bait' && call % 3 === 0 ? cut(reply) : reply),
    });
    const config = testConfig();
    const outcome = await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    const truncated = snap.questions.filter((q) => q.reason === 'truncated');

    expect(outcome.stopReason).toBe('target');
    expect(truncated.length).toBeGreaterThan(0);
    expect(truncated.every((q) => q.status === 'rejected' && q.text === null)).toBe(true);
    expect(truncated.every((q) => q.raw.length > 0 && q.embedding === undefined)).toBe(true);
    expect(outcome.progress.rejectedBy.truncated).toBe(truncated.length);
  });

  it('rejects a question reply the engine stopped early as interrupted', async () => {
    const d = doubles({
      alter: (reply, { call }) => (call === 1 ? { ...reply, finishReason: 'abort' } : reply),
    });
    const config = testConfig();
    await runCrescent(config, d);
    const snap = await d.store.load(config.runId);
    expect(snap.questions[0]).toMatchObject({ status: 'rejected', reason: 'interrupted' });
  });

  it('lets an answer cut by the token limit abstain by default, and vote in faithful mode', async () => {
    const alter = (reply: ChatReply, info: { kind: string; call: number }) =>
      info.kind === 'answer' ? cut(reply) : reply;
    for (const faithful of [false, true]) {
      const d = doubles({ alter, unreadableRate: 0 });
      const config = testConfig({ faithful, targetQuestions: 2, votes: 3 });
      await runCrescent(config, d);
      const snap = await d.store.load(config.runId);
      const answers = snap.samples.map((s) => s.answer);
      if (faithful) {
        expect(answers.every((a) => a !== null)).toBe(true);
        expect(snap.pairs.every((p) => p.answer !== null && p.abstained === 0)).toBe(true);
      } else {
        expect(answers.every((a) => a === null)).toBe(true);
        expect(snap.pairs.every((p) => p.answer === null && p.abstained === p.samples)).toBe(true);
        expect(snap.pairs.every((p) => p.samples === 3)).toBe(true);
      }
    }
  });

  it('never lets an interrupted answer vote, even in faithful mode', async () => {
    const d = doubles({
      alter: (reply, { kind }) => (kind === 'answer' ? { ...reply, finishReason: 'abort' } : reply),
    });
    const config = testConfig({ faithful: true, targetQuestions: 1 });
    await runCrescent(config, d);
    const [pair] = (await d.store.load(config.runId)).pairs;
    expect(pair).toMatchObject({ answer: null, votes: {}, abstained: 3, samples: 3 });
  });

  it('stores nothing of a reply that arrives after the run was paused', async () => {
    const controller = new AbortController();
    const d = doubles({
      alter: (reply, { call }) => {
        if (call !== 6) return reply;
        controller.abort();
        return { ...reply, text: reply.text.slice(0, 10), finishReason: 'abort' };
      },
    });
    const config = testConfig();
    const outcome = await runCrescent(config, d, { signal: controller.signal });
    const snap = await d.store.load(config.runId);
    expect(outcome.stopReason).toBe('paused');
    expect(snap.questions.length + snap.samples.length).toBe(5);
    expect(snap.questions.every((q) => q.reason !== 'interrupted')).toBe(true);
  });
});
