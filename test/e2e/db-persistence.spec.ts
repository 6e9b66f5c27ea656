import { expect, test } from '@playwright/test';

const PAGE = '/test/e2e/pages/db-persistence.html';

test('rows written through the store are read back identical after a reload', async ({ page }) => {
  await page.goto(PAGE);
  await expect(page.locator('#ready')).toHaveText('ready');
  const runId = await page.evaluate(() => window.dbPage.writeRun());
  await page.reload();
  await expect(page.locator('#ready')).toHaveText('ready');
  const { snapshot, status } = await page.evaluate((id) => window.dbPage.readRun(id), runId);
  // The run was left 'running' by the previous page, so start-up marks it interrupted.
  expect(status).toBe('1:interrupted');
  expect(snapshot).toEqual({
    questions: [
      {
        runId,
        seq: 0,
        origin: 'bait',
        attempt: 0,
        raw: 'junk',
        text: null,
        status: 'rejected',
        reason: 'no-question',
        tokens: 2,
        createdAt: 10,
      },
      {
        runId,
        seq: 1,
        origin: 'bait',
        attempt: 0,
        raw: 'Problem: x?',
        text: 'x?',
        status: 'accepted',
        embedding: { float32: [0.1, -0.2, 1 / 3, 1e-7].map(Math.fround) },
        tokens: 5,
        createdAt: 11,
      },
    ],
    samples: [
      {
        runId,
        questionSeq: 1,
        index: 0,
        raw: '#### Answer: 4',
        answer: '4',
        tokens: 9,
        thinkingTokens: 0,
        finishReason: 'stop',
        createdAt: 12,
      },
    ],
    pairs: [
      {
        runId,
        questionSeq: 1,
        question: 'x?',
        answerText: '#### Answer: 4',
        answer: '4',
        votes: { '4': 1 },
        abstained: 0,
        samples: 1,
        k: 1,
        agreement: 1,
        minVotes: 0,
        passes: true,
        model: 'm',
        createdAt: 13,
      },
    ],
  });
});

test('a write past a tiny storage quota fails with the typed quota error and keeps earlier rows', async ({
  page,
  baseURL,
}) => {
  await page.goto(PAGE);
  await expect(page.locator('#ready')).toHaveText('ready');
  const origin = new URL(baseURL ?? page.url()).origin;
  // Chromium reports this as Dexie's AbortError wrapping a QuotaExceededError.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2 * 1024 * 1024 });
  const result = await page.evaluate(() => window.dbPage.fillUntilFull('full-run', 200));
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  expect(result.error?.code).toBe('quota-exceeded');
  expect(result.error?.message).toBe('The browser storage for this site is full.');
  expect(result.written).toBeGreaterThan(0);
  expect(result.written).toBeLessThan(200);
  expect(result.stored).toBe(result.written);
});

test('ten thousand imported pairs stream back in order, in batches', async ({ page }) => {
  await page.goto(PAGE);
  await expect(page.locator('#ready')).toHaveText('ready');
  const result = await page.evaluate(() => window.dbPage.importAndStream(10_000));
  console.log(`import ${result.importMs.toFixed(0)} ms, stream ${result.streamMs.toFixed(0)} ms`);
  expect(result).toMatchObject({ pairs: 10_000, batches: 20, ordered: true });
});
