import { test, expect } from '@playwright/test';
import { logIn } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

test('an admin publishes a notice in Markdown and a shopper reads it, with no script in it', async ({ browser, page }, info) => {
  const title = `점검 안내 ${info.project.name} ${Date.now()}`;
  await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto('/admin/notices');
  const form = page.getByTestId('notice-form');
  await form.getByLabel('제목').fill(title);
  await form.getByLabel('유형').selectOption('maintenance');
  await form.getByLabel('대상').selectOption('customers');
  await form.getByLabel('내용').fill('**02:00**부터 결제가 멈춥니다. <script>document.title = "hacked"</script>');
  await form.getByLabel('지금 게시').check();
  await form.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('status').filter({ hasText: '공지를 저장했습니다.' })).toBeVisible();
  const row = page.getByTestId('admin-notice').filter({ hasText: title });
  await expect(row.getByTestId('notice-state')).toHaveText('게시 중');

  // A shopper finds it in the list and reads it.
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await logIn(shopper, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(shopper).toHaveURL(/\/account$/);
  await shopper.goto('/notices');
  // A maintenance notice is also a banner: take the list's link.
  await shopper.getByTestId('notices').getByRole('link', { name: title }).click();
  await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(shopper.getByTestId('notice-body').locator('strong')).toHaveText('02:00');
  await expect(shopper.getByTestId('notice-body').locator('script')).toHaveCount(0);
  await expect(shopper).toHaveTitle(new RegExp(`^${title} · `));
  await context.close();

  // Taken down, it is gone for shoppers.
  await row.getByRole('button', { name: '게시 중단' }).click();
  await expect(row.getByTestId('notice-state')).toHaveText('초안');
});

test('an urgent notice shows as a banner on every page until the shopper dismisses it', async ({ browser, page }, info) => {
  const title = `긴급: 결제 지연 ${info.project.name} ${Date.now()}`;
  await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto('/admin/notices');
  const form = page.getByTestId('notice-form');
  await form.getByLabel('제목').fill(title);
  await form.getByLabel('유형').selectOption('urgent');
  await form.getByLabel('대상').selectOption('all');
  await form.getByLabel('내용').fill('결제가 늦어지고 있습니다.');
  await form.getByLabel('지금 게시').check();
  await form.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('status').filter({ hasText: '공지를 저장했습니다.' })).toBeVisible();

  const context = await browser.newContext();
  const shopper = await context.newPage();
  await logIn(shopper, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(shopper).toHaveURL(/\/account$/);
  const banner = shopper.getByTestId('banner').filter({ hasText: title });
  // Each instance keeps the banners for a few seconds.
  await expect(async () => {
    await shopper.goto('/shop');
    await expect(banner).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await shopper.goto('/tickets');
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: '이 공지 닫기' }).click();
  await expect(shopper).toHaveURL(/\/tickets$/);
  await expect(banner).toHaveCount(0);
  await shopper.goto('/');
  await expect(banner).toHaveCount(0);
  await context.close();

  // Clean up, so later tests do not see it.
  const row = page.getByTestId('admin-notice').filter({ hasText: title });
  await row.getByRole('button', { name: '삭제' }).click();
  await expect(row).toHaveCount(0);
});
