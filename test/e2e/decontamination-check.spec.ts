// Decontamination after the fact: an imported dataset, one of whose questions is a GSM8K test
// question with new numbers, is checked against GSM8K (its public address answered from a local
// copy), the pair is flagged in the browser, and left out of the export by default.
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';

const GSM8K = readFileSync('../shared/evals/gsm8k_test.jsonl', 'utf8').split('\n').slice(0, 40);
const SECOND = (JSON.parse(GSM8K[1] ?? '{}') as { question: string }).question;
const LEAK = SECOND.replace(/\d+/g, (n) => String(Number(n) + 3));
const GSM8K_URL =
  'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl';

function line(question: string, answer: string): string {
  return JSON.stringify({ question, answer: `We work it out.\n#### ${answer}` });
}

async function textOf(download: Download): Promise<string> {
  return readFileSync(await download.path(), 'utf8');
}

async function download(page: Page, name: RegExp): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name }).click(),
  ]);
  return textOf(file);
}

test('a check against GSM8K flags a renumbered copy, and the export leaves it out', async ({
  page,
}) => {
  expect(LEAK).not.toBe(SECOND);
  let fetched = 0;
  await page.route(GSM8K_URL, async (route) => {
    fetched++;
    await route.fulfill({ status: 200, contentType: 'application/jsonl', body: GSM8K.join('\n') });
  });

  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await page.getByLabel('JSONL file').setInputFiles({
    name: 'mixed.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(
      [
        line(
          'A farmer plants 7 rows of 9 cabbages and sells 20. How many cabbages are left?',
          '43',
        ),
        line(LEAK, '6'),
        line('Lena reads 12 pages a day for a week. How many pages does she read?', '84'),
      ].join('\n'),
    ),
  });
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await expect(page.getByText('Imported 3 pairs')).toBeVisible();

  const panel = page.getByRole('region', { name: 'Check for benchmark leaks' });
  await expect(panel.getByLabel(/GSM8K test/)).toBeChecked();
  await panel.getByRole('button', { name: 'Check 1 selected run' }).click();
  await expect(panel.getByRole('status')).toHaveText('Checked 3 pairs: 1 flagged (gsm8k-test: 1).');
  expect(fetched).toBe(1);

  await expect(page.getByRole('radio', { name: /^full/ })).toBeChecked();
  await expect(page.getByLabel('Leave out pairs flagged as benchmark leaks')).toBeChecked();
  const kept = (await download(page, /^Download JSONL \(2 pairs\)/)).trim().split('\n');
  expect(kept.map((l) => (JSON.parse(l) as { question: string }).question)).not.toContain(LEAK);

  await page.getByLabel('Leave out pairs flagged as benchmark leaks').uncheck();
  const all = (await download(page, /^Download JSONL \(3 pairs\)/)).trim().split('\n');
  const flagged = all
    .map((l) => JSON.parse(l) as { question: string; contamination: { benchmark: string } | null })
    .filter((p) => p.contamination !== null);
  expect(flagged).toHaveLength(1);
  expect(flagged[0]?.question).toBe(LEAK);
  expect(flagged[0]?.contamination).toMatchObject({
    benchmark: 'gsm8k-test',
    benchmark_index: 1,
    rule: 'ngram',
  });

  // The pair shows its flag where the data is browsed.
  await page.getByRole('tab', { name: 'Runs & data' }).click();
  await expect(page.getByText('benchmark leak')).toHaveCount(1);
  await page
    .getByRole('button', { name: new RegExp(LEAK.slice(0, 30).replace(/[$?.()]/g, '\\$&')) })
    .click();
  await expect(page.getByRole('heading', { name: 'Benchmark leak' })).toBeVisible();
});
