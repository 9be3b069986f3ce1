import { test, expect } from '@playwright/test';
import { addCheapestToCart, logIn, signUp, uniqueEmail } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

async function asAdmin(page: import('@playwright/test').Page) {
  await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

test('an admin changes the shipping fee: a bad value is refused at its field, a good one reaches the cart and the history', async ({ browser, page }) => {
  await asAdmin(page);
  await page.goto('/admin/configs');
  const fee = page.locator('[data-testid="config"][data-key="shop.shipping_fee"]');
  const input = fee.getByLabel('판매자 주문당 배송비');
  const before = await input.inputValue();

  await input.fill('삼천원');
  await fee.getByRole('button', { name: '저장' }).click();
  await expect(fee.getByTestId('config-error')).toHaveText('0 이상의 금액을 원 단위 숫자로 입력하세요. (예: 3,000)');
  // What was typed stays in the field.
  await expect(fee.getByLabel('판매자 주문당 배송비')).toHaveValue('삼천원');
  // The other keys' forms show no error.
  await expect(page.locator('[data-key="shop.free_shipping_threshold"]').getByTestId('config-error')).toHaveText('');

  await fee.getByLabel('판매자 주문당 배송비').fill('3,500원');
  await fee.getByLabel('변경 사유 (선택)').fill('택배 단가 인상');
  await fee.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('status').filter({ hasText: '설정을 저장했습니다.' })).toBeVisible();
  await expect(fee.getByLabel('판매자 주문당 배송비')).toHaveValue('3500');
  await expect(fee.getByText('변경됨')).toBeVisible();
  await fee.getByText(/^변경 이력/).click();
  const last = fee.getByTestId('history-row').first();
  await expect(last).toContainText(`value: ${before} → 3500`);
  await expect(last).toContainText('택배 단가 인상');
  await expect(last).toContainText('admin@jangteo.test');

  // A shopper's cart charges the new fee.
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await addCheapestToCart(shopper, '/shop');
  await expect(shopper.getByTestId('group-shipping')).toContainText('배송비: ₩3,500');
  await context.close();

  // Put it back, so the checkout tests see the demo fee.
  await fee.getByLabel('판매자 주문당 배송비').fill(before);
  await fee.getByLabel('변경 사유 (선택)').fill('원래대로');
  await fee.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('status').filter({ hasText: '설정을 저장했습니다.' })).toBeVisible();
  await expect(page.locator('[data-key="shop.shipping_fee"]').getByLabel('판매자 주문당 배송비')).toHaveValue(before);
});

test('an admin suspends a shopper, who is signed out, and finds it in the audit log', async ({ browser, page }, info) => {
  const email = uniqueEmail(info, 'suspended');
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await signUp(shopper, email, '정지 대상');

  await asAdmin(page);
  await page.goto('/admin/users');
  await page.getByTestId('user-filters').getByLabel('검색어').fill(email);
  await page.getByTestId('user-filters').getByRole('button', { name: '검색' }).click();
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  await page.getByTestId('user-row').getByRole('link', { name: email }).click();
  await expect(page.getByTestId('user-email')).toHaveText(email);

  const form = page.getByTestId('user-status-form');
  await form.getByRole('button', { name: '계정 정지' }).click();
  await expect(form.getByRole('alert').filter({ hasText: '필수 항목입니다.' })).toBeVisible();
  await form.getByLabel('사유').fill('결제 도용 신고');
  await form.getByRole('button', { name: '계정 정지' }).click();
  await expect(page.getByRole('status').filter({ hasText: '계정을 정지했습니다.' })).toBeVisible();
  await expect(page.getByTestId('user-status')).toContainText('정지 — 결제 도용 신고');

  // The shopper's session ended on every instance.
  await shopper.goto('/account');
  await expect(shopper).toHaveURL(/\/login/);
  await context.close();

  await page.goto('/admin/audit');
  const filters = page.getByTestId('audit-filters');
  await filters.getByLabel('대상', { exact: true }).selectOption('user');
  await filters.getByLabel('동작').selectOption('UPDATE');
  await filters.getByLabel('처리자').fill('admin@jangteo.test');
  await filters.getByRole('button', { name: '검색' }).click();
  const row = page.getByTestId('history-row').filter({ hasText: '결제 도용 신고' }).first();
  await expect(row).toContainText('status: active → suspended');
  await expect(row).toContainText('admin@jangteo.test');
});

test('the admin dashboard draws the demo month, with its data as a table', async ({ page }) => {
  await asAdmin(page);
  await page.goto('/admin');
  await expect(page.getByTestId('stat')).toHaveCount(8);
  const sales = page.getByTestId('chart-sales');
  await expect(sales.locator('figcaption')).toHaveText('일별 매출');
  await expect(sales.locator('svg[role="img"] rect')).toHaveCount(30);
  await expect(sales.locator('.chart-summary')).toContainText('합계 ₩');
  await sales.getByText('표로 보기').click();
  await expect(sales.locator('tbody tr')).toHaveCount(30);
  await expect(page.getByTestId('chart-sellers').locator('tbody tr').first()).toContainText('₩');
  await expect(page.getByTestId('partitions')).toContainText('public.audit_logs');
});

test('the seller console home shows the seller\'s month and notices', async ({ page }) => {
  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto('/seller');
  await expect(page.getByTestId('stat').first()).toContainText('오늘 매출');
  await expect(page.getByTestId('chart-seller-sales').locator('svg rect')).toHaveCount(30);
  await expect(page.getByRole('heading', { name: '판매자 공지' })).toBeVisible();
});
