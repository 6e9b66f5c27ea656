// The setup of a run against a scripted OpenAI-compatible endpoint, as a user fills it in: the
// endpoint, its listed model, its embeddings and the questions wanted.
import { expect, type Page } from '@playwright/test';

export async function setUpEndpointRun(
  page: Page,
  baseUrl: string,
  questions: number,
  model = 'tiny-math',
  appUrl = '/',
): Promise<void> {
  await page.goto(appUrl);
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByRole('combobox', { name: /^Model/ })).toHaveValue(model);
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill(String(questions));
}
