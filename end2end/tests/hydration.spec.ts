import { test, expect, type Page } from '@playwright/test';

/** Opens `url` and waits for its wasm; the returned list collects page and console errors. */
async function openHydrated(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  // The name carries the build's content hash (`jangteo.<hash>.wasm`).
  const wasm = page.waitForResponse((r) => /\/pkg\/jangteo(\.[\w-]+)?\.wasm$/.test(r.url()) && r.ok());
  await page.goto(url);
  await wasm;
  return problems;
}

test('pages are server-rendered and load only the islands bundle, without errors', async ({ page }, info) => {
  test.skip(info.project.name !== 'chromium-js', 'needs JavaScript');
  const problems = await openHydrated(page, '/');
  // No page component hydrates: the document carries no hydration data for pages, only
  // the islands loader, and a page with no island has none to hydrate.
  expect(await page.locator('leptos-island').count()).toBe(0);
  // Links are plain navigations: the next page comes whole from the server.
  await page.getByRole('link', { name: '회원가입' }).first().click();
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('회원가입');
  expect(problems).toEqual([]);
});

test('a category link shows that listing, breadcrumbs and title from the server', async ({ page }, info) => {
  test.skip(info.project.name !== 'chromium-js', 'needs JavaScript');
  const problems = await openHydrated(page, '/shop/c/fashion');
  await expect(page.getByTestId('product-card')).toHaveCount(24);
  const aside = page.getByRole('complementary');
  await aside.getByRole('link', { name: '남성의류', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('남성의류');
  await expect(page).toHaveURL(/\/shop\/c\/fashion-men$/);
  await expect(page.getByRole('navigation', { name: '현재 위치' })).toContainText('패션');
  await expect(page).toHaveTitle(/^남성의류 · /);
  const names = await page.getByTestId('product-card').locator('.product-name').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});

test('"skip to content" moves keyboard focus into the page', async ({ page }, info) => {
  // With JavaScript too, once the islands script has run.
  if (info.project.name === 'chromium-js') {
    await openHydrated(page, '/shop');
    await page.waitForLoadState('networkidle');
  } else {
    await page.goto('/shop');
  }
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: '본문으로 건너뛰기' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  // The next Tab goes to the first control in the page, not back to the header logo.
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => document.querySelector('main')!.contains(document.activeElement));
  expect(inMain).toBe(true);
});
