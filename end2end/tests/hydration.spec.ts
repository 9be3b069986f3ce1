import { test, expect } from '@playwright/test';

test('the page hydrates without errors and then routes on the client', async ({ page }, info) => {
  test.skip(info.project.name !== 'chromium-js', 'needs JavaScript');
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  const wasm = page.waitForResponse((r) => r.url().endsWith('/pkg/jangteo.wasm') && r.ok());
  await page.goto('/');
  await wasm;
  // Once hydrated, a link click is handled by the router: the same window object survives.
  // Before hydration the click is a full page load, so poll until it is not.
  await expect
    .poll(async () => {
      await page.evaluate(() => ((window as any).__jangteoMarker = 1));
      await page.getByRole('link', { name: '회원가입' }).first().click();
      await expect(page).toHaveURL(/\/signup$/);
      const sameDocument = await page.evaluate(() => (window as any).__jangteoMarker === 1);
      await page.goBack();
      return sameDocument;
    }, { timeout: 15_000 })
    .toBe(true);
  expect(problems).toEqual([]);
});
