// Curation in the browser: correct a pair, delete the pairs a filter shows after a confirm,
// restore them, and export what is left with the correction marked.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

function line(i: number): string {
  return JSON.stringify({
    question: `Ana buys ${i} bags of 4 marbles. How many marbles does she have?`,
    answer: `${i} x 4 = ${i * 4}\n#### ${i * 4}`,
  });
}

test('a pair is corrected, shown pairs are deleted after a confirm and restored, and the export follows', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await page.getByLabel('JSONL file').setInputFiles({
    name: 'marbles.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from([1, 2, 3].map(line).join('\n')),
  });
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await page.getByRole('button', { name: 'Browse them' }).click();
  await expect(page.getByText('Showing 3 of 3 pairs.')).toBeVisible();

  await page.getByRole('button', { name: /Ana buys 2 bags/ }).click();
  await page.getByRole('button', { name: 'Edit pair' }).click();
  await page.getByRole('textbox', { name: /^Final answer/ }).fill('9');
  await page.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('edited', { exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: '9', exact: true })).toBeVisible();

  await page.getByLabel('Search').fill('3 bags');
  await page.getByRole('button', { name: 'Delete 1 shown pair…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 1 pair?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete 1 pair' }).click();
  await page.getByLabel('Search').fill('');
  await expect(page.getByText('Showing 2 of 2 pairs.')).toBeVisible();

  await page.getByRole('tab', { name: 'Export & import' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download JSONL \(2 pairs\)/ }).click(),
  ]);
  const rows = readFileSync(await file.path(), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { final_answer: string; original: unknown; question: string });
  expect(rows.map((r) => r.final_answer)).toEqual(['4', '9']);
  expect(rows[1]?.original).toMatchObject({ final_answer: '8' });

  await page.getByRole('tab', { name: 'Runs & data' }).click();
  await page.getByLabel('Show the 1 deleted pair').check();
  await expect(page.getByText('Showing 1 of 1 deleted pairs.')).toBeVisible();
  await page.getByRole('button', { name: 'Restore 1 pair' }).click();
  await expect(page.getByText('Showing 0 of 0 deleted pairs.')).toBeVisible();
});
