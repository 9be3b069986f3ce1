import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { logIn, forgetSession } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

// axe runs inside the page, so this needs JavaScript; the pages themselves are the same
// server-rendered HTML either way.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'axe needs JavaScript in the page');

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function check(page: Page, path: string) {
  await page.goto(path);
  // WCAG A/AA, plus two best practices the review asked for (`withRules` alone would run
  // only those two, hence a second pass).
  const wcag = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const practice = await new AxeBuilder({ page }).withRules(['heading-order', 'page-has-heading-one']).analyze();
  const violations = [...wcag.violations, ...practice.violations];
  const found = violations.map(
    (v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, found.join('\n')).toEqual([]);
  // Every page has a title of its own.
  expect((await page.title()).trim()).not.toEqual('');
}

async function firstProduct(page: Page): Promise<string> {
  await page.goto('/shop/c/fashion');
  const href = await page.getByTestId('product-card').first().getByRole('link').first().getAttribute('href');
  return href!;
}

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`storefront and consoles pass axe in the ${scheme} theme at ${width} px`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      const product = await firstProduct(page);
      await page.goto('/tickets');
      const concert = (await page.getByTestId('concert-card').first().getByRole('link').first().getAttribute('href'))!;
      for (const path of ['/', '/shop', '/shop/c/fashion', product, '/p/no-such-product', '/login', '/signup', '/cart', '/tickets', concert]) {
        await check(page, path);
      }
      // The consoles in two of the four variants (both themes, both widths): every sign-in
      // counts against the one test machine's per-IP login budget.
      if ((scheme === 'light') !== (width === 1280)) return;
      await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
      await expect(page).toHaveURL(/\/account$/);
      for (const path of ['/account', '/account/points', '/account/wishlist', '/orders', '/checkout', '/admin', '/admin/products', '/admin/sellers', '/admin/categories', '/admin/coupons', '/admin/integrations', '/coupons', '/account/coupons', '/mobile', '/tickets/me', '/admin/concerts', concert]) {
        await check(page, path);
      }
      await forgetSession(page);
      await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
      await expect(page).toHaveURL(/\/account$/);
      for (const path of ['/seller', '/seller/products', '/seller/inventory', '/seller/orders', '/seller/coupons', '/seller/concerts']) {
        await check(page, path);
      }
    });
  }
}
