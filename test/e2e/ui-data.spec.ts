import { expect, test, type Page } from '@playwright/test';

// Full-format lines as this app exports them; the third pair has a 1-1-1 split.
function fullLine(i: number, agreement: number, answer: string | null): string {
  return JSON.stringify({
    question: `Question number ${i}: how many marbles does Ana have if she buys ${i} bags?`,
    answer_text: `Ana buys ${i} bags of 4 marbles.\n#### Answer: ${answer ?? '?'}`,
    final_answer: answer,
    votes: answer ? { [answer]: Math.round(agreement * 3) } : {},
    abstained: 0,
    samples: 3,
    k: 3,
    agreement,
    model: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
    provenance: {
      generator: 'crescent-web',
      method: 'crescent',
      created_at: '2026-01-01T00:00:00Z',
    },
  });
}

const good = [fullLine(1, 1, '4'), fullLine(2, 2 / 3, '8'), fullLine(3, 1 / 3, '12')];

async function chooseFile(page: Page, name: string, lines: string[]) {
  await page
    .getByLabel('JSONL file')
    .setInputFiles({ name, mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) });
}

test('an import with bad lines shows them by number and writes nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await chooseFile(page, 'broken.jsonl', [good[0] ?? '', '{"question": "no answer here"}', 'nope']);
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('line 2');
  await expect(errors).toContainText('line 3');
  await expect(page.getByRole('button', { name: /^Import/ })).toBeDisabled();
  await page.screenshot({ path: '/tmp/ui-import-errors.png', fullPage: true });
  await page.getByRole('tab', { name: 'Runs & data' }).click();
  await expect(page.getByText('No runs yet.')).toBeVisible();
});

test('an imported file can be browsed, filtered, expanded and exported', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  // The repeated first line is found as a duplicate and skipped.
  await chooseFile(page, 'marbles.jsonl', [...good, good[0] ?? '']);
  await expect(page.getByText('repeats line 1')).toBeVisible();
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await expect(page.getByText('Imported 3 pairs')).toBeVisible();
  await page.getByRole('button', { name: 'Browse them' }).click();

  await expect(page.getByRole('tab', { name: 'Runs & data' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(
    page.getByRole('cell', { name: 'Imported marbles.jsonl', exact: true }),
  ).toBeVisible();
  await expect(page.getByText('Showing 3 of 3 pairs.')).toBeVisible();

  await page.getByLabel(/Min. agreement/).fill('0.65');
  await expect(page.getByText('Showing 2 of 3 pairs.')).toBeVisible();
  await page.getByLabel('Search').fill('3 bags');
  await expect(page.getByText('Showing 0 of 3 pairs.')).toBeVisible();
  await page.getByLabel('Search').fill('2 bags');
  await expect(page.getByText('Showing 1 of 3 pairs.')).toBeVisible();

  await page.getByRole('button', { name: /Question number 2/ }).click();
  await expect(page.getByText('#### Answer: 8')).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-data.png', fullPage: true });

  await page.getByRole('tab', { name: 'Export & import' }).click();
  await page.getByLabel(/openai/).check();
  await page.getByLabel(/Min. agreement/).fill('0.6');
  const button = page.getByRole('button', { name: 'Download JSONL (2 pairs)' });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe('crescent-openai-2.jsonl');
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  const first = JSON.parse(lines[0] ?? '') as { messages: { role: string; content: string }[] };
  expect(first.messages[0]?.content).toContain('Question number 1');
  expect(first.messages[1]?.role).toBe('assistant');
  await page.screenshot({ path: '/tmp/ui-export-done.png', fullPage: true });
});

test('deleting a run asks first and then removes it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await chooseFile(page, 'one.jsonl', [good[0] ?? '']);
  await page.getByRole('button', { name: 'Import 1 pair', exact: true }).click();
  await page.getByRole('tab', { name: 'Runs & data' }).click();
  await page.getByRole('button', { name: 'Delete Imported one.jsonl' }).click();
  await expect(page.getByText('Delete all its data?')).toBeVisible();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('No runs yet.')).toBeVisible();
});

test('ten thousand pairs are browsed fifty to a page and searched at once', async ({ page }) => {
  const lines = Array.from({ length: 10_000 }, (_, i) =>
    fullLine(i + 1, i % 3 === 0 ? 1 / 3 : 1, String(4 * (i + 1))),
  );
  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await chooseFile(page, 'big.jsonl', lines);
  await page.getByRole('button', { name: 'Import 10,000 pairs' }).click();
  await page.getByRole('button', { name: 'Browse them' }).click({ timeout: 60_000 });

  await expect(page.getByText('Showing 10,000 of 10,000 pairs.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Page 1 of 200')).toBeVisible();
  // One page of rows in the DOM, not ten thousand.
  await expect(page.getByRole('button', { name: /^Question number/ })).toHaveCount(50);
  await page.getByRole('button', { name: 'Last' }).click();
  await expect(page.getByText('Page 200 of 200')).toBeVisible();
  await expect(page.getByRole('button', { name: /Question number 10000:/ })).toBeVisible();

  await page.getByLabel(/Min. agreement/).fill('0.5');
  await expect(page.getByText('Showing 6,666 of 10,000 pairs.')).toBeVisible();
  await expect(page.getByText('Page 1 of 134')).toBeVisible();
  await page.getByLabel('Search').fill('number 9998:');
  await expect(page.getByText('Showing 1 of 10,000 pairs.')).toBeVisible();
});
