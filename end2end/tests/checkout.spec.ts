import { test, expect } from '@playwright/test';
import { logIn } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

test('the demo shopper pays with points, sees the timeline, and cancels for a refund', async ({ page }) => {
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  // Start from an empty cart, then add the cheapest fashion product in stock.
  await page.goto('/cart');
  while (await page.getByTestId('cart-line').count()) {
    await page.getByTestId('cart-line').first().getByRole('button', { name: /삭제/ }).click();
    await expect(page.getByRole('status').filter({ hasText: '장바구니에서 삭제했습니다.' })).toBeVisible();
  }
  await page.goto('/shop/c/fashion?sort=price_asc');
  const hrefs = await page
    .getByTestId('product-card')
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  let name = '';
  for (const href of hrefs) {
    await page.goto(href);
    if (await page.getByRole('button', { name: '장바구니', exact: true }).count()) {
      name = (await page.getByRole('heading', { level: 1 }).textContent())!;
      break;
    }
  }
  expect(name).not.toBe('');
  const selects = page.getByTestId('buy-box').locator('select');
  for (let i = 0; i < (await selects.count()); i++) {
    const value = await selects.nth(i).locator('option:not([disabled])').nth(1).getAttribute('value');
    await selects.nth(i).selectOption(value!);
  }
  await page.getByRole('button', { name: '바로 구매' }).click();
  await expect(page).toHaveURL(/\/cart$/);

  await page.goto('/checkout');
  await expect(page.getByTestId('checkout-group')).toContainText(name);
  const total = (await page.getByTestId('checkout-total').textContent())!;
  await expect(page.getByLabel('사용할 포인트')).toHaveValue(total.replace(/[^0-9]/g, ''));
  await page.getByLabel('배송 메모').fill('문 앞에 놓아 주세요');
  await page.getByRole('button', { name: '결제하기' }).click();

  await expect(page).toHaveURL(/\/orders\/ORD-\d{8}-\d{6}$/);
  await expect(page.getByTestId('order-status')).toHaveText('결제 완료');
  await expect(page.getByTestId('timeline')).toContainText('주문이 접수되었습니다');
  await expect(page.getByTestId('timeline')).toContainText('결제가 완료되었습니다');
  await expect(page.getByText('문 앞에 놓아 주세요')).toBeVisible();
  await expect(page.getByTestId('cart-count')).toHaveText('0');

  await page.getByTestId('cancel-order').click();
  await expect(page.getByTestId('order-status')).toHaveText('주문 취소');
  await expect(page.getByTestId('refunded')).toHaveText(total);
  await expect(page.getByTestId('timeline')).toContainText('주문이 취소되었습니다');

  await page.goto('/orders');
  await expect(page.getByTestId('order-row').first()).toContainText('주문 취소');
});
