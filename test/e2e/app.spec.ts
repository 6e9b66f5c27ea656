import { test, expect } from '@playwright/test';

test('the app loads and shows its title', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Crescent Web');
});
