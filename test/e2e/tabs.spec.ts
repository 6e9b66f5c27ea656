// The section tabs at a phone's width: all four are in view, none cut or scrolled away.
import { expect, test } from '@playwright/test';

test('at 390 px all four section tabs are in view', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 700 });
  await page.goto('/');
  for (const name of ['Setup', 'Run', 'Runs & data', 'Export & import']) {
    const box = await page.getByRole('tab', { name, exact: true }).boundingBox();
    expect(box, name).not.toBeNull();
    expect(box!.x, name).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, name).toBeLessThanOrEqual(390);
  }
});
