// Math in stored pairs is drawn by KaTeX once a pair is opened, dollar amounts stay text, model
// markup stays inert, and the plain text is one click away.
import { expect, test } from '@playwright/test';

const lines = [
  {
    question: 'Solve $x^2 - 5x + 6 = 0$ for the larger root. Ana paid $5 and $10 for two books.',
    answer: 'Factor: $$(x-2)(x-3) = 0$$ so the larger root is \\(3\\).\n#### 3',
  },
  {
    question: 'A shop sells pens for $2 each. How much do 4 pens cost?',
    answer: '4 x 2 = 8\n#### 8',
  },
  {
    question: 'What is $\\href{javascript:alert(1)}{x}$ plus <img src=x onerror=alert(2)> 1?',
    answer: 'It is 2.\n#### 2',
  },
];

test('opened pairs draw their math with KaTeX, keep dollar amounts and markup as text, and show the plain text on request', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await page.getByLabel('JSONL file').setInputFiles({
    name: 'math.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')),
  });
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await page.getByRole('button', { name: 'Browse them' }).click();
  await expect(page.getByText('Showing 3 of 3 pairs.')).toBeVisible();

  await page.getByRole('button', { name: /Solve \$x\^2/ }).click();
  const question = page.locator('p.text').filter({ hasText: 'larger root' });
  await expect(question.locator('.katex')).toHaveCount(1);
  await expect(question).toContainText('Ana paid $5 and $10 for two books.');
  const answer = page.locator('pre').filter({ hasText: 'larger root is' });
  await expect(answer.locator('.katex-display')).toHaveCount(1);
  await expect(answer.locator('.katex')).toHaveCount(2);

  const shots = process.env['MATH_SHOTS'];
  if (shots) {
    for (const [w, h, scheme] of [
      [1280, 800, 'light'],
      [390, 844, 'dark'],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await answer.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/math-${w}-${scheme}.png` });
    }
  }

  await page.getByLabel('Show plain text').check();
  await expect(question.locator('.katex')).toHaveCount(0);
  await expect(question).toHaveText(lines[0]!.question);
  await page.getByLabel('Show plain text').uncheck();
  await expect(question.locator('.katex')).toHaveCount(1);

  await page.getByRole('button', { name: /A shop sells pens/ }).click();
  const pens = page.locator('p.text').filter({ hasText: 'A shop sells pens' });
  await expect(pens).toHaveText(lines[1]!.question);
  await expect(pens.locator('.katex')).toHaveCount(0);

  await page.getByRole('button', { name: /What is/ }).click();
  const hostile = page.locator('p.text').filter({ hasText: 'plus <img' });
  await expect(hostile.locator('img')).toHaveCount(0);
  await expect(hostile.locator('a')).toHaveCount(0);
  await expect(hostile).toContainText('<img src=x onerror=alert(2)>');
  expect(dialogs).toEqual([]);
});
