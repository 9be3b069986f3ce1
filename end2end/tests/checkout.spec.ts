import { test, expect } from '@playwright/test';
import { addCheapestToCart, chooseOptions, logIn, openBuyableProduct } from './helpers';

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
  const name = await openBuyableProduct(page, '/shop/c/fashion?sort=price_asc');
  await chooseOptions(page);
  // "바로 구매" goes straight to checkout.
  await page.getByRole('button', { name: '바로 구매' }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId('checkout-group')).toContainText(name);
  const total = (await page.getByTestId('checkout-total').textContent())!;
  await expect(page.getByLabel('사용할 포인트')).toHaveValue(total.replace(/[^0-9]/g, ''));
  await expect(page.getByLabel('포인트 전액 결제')).toBeChecked();
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

const PG_URL = process.env.PG_URL || 'http://127.0.0.1:3500';

/** Empties the demo shopper's cart and puts the cheapest fashion product in stock in it. */
async function freshCart(page: import('@playwright/test').Page): Promise<string> {
  await page.goto('/cart');
  while (await page.getByTestId('cart-line').count()) {
    await page.getByTestId('cart-line').first().getByRole('button', { name: /삭제/ }).click();
    await expect(page.getByRole('status').filter({ hasText: '장바구니에서 삭제했습니다.' })).toBeVisible();
  }
  return addCheapestToCart(page, '/shop/c/fashion');
}

test('the demo shopper pays by card on the gateway page and sees the order paid', async ({ page }) => {
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await freshCart(page);
  await page.getByTestId('to-checkout').click();
  await page.getByLabel('사용할 포인트').fill('0');
  await page.getByLabel('신용/체크카드').check();
  await page.getByRole('button', { name: '결제하기' }).click();

  // The gateway's own page.
  await expect(page).toHaveURL(new RegExp(`^${PG_URL.replace(/[.]/g, '\\.')}/pay`));
  await page.getByLabel('할부').selectOption('3');
  await page.getByRole('button', { name: '결제하기' }).click();

  await expect(page).toHaveURL(/\/checkout\/success\?paymentKey=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('결제가 완료되었습니다');
  await page.getByTestId('payment-result').getByRole('link').first().click();
  await expect(page.getByTestId('order-status')).toHaveText('결제 완료');
  await expect(page.getByTestId('payment')).toContainText('3개월 할부');
  await expect(page.getByTestId('timeline')).toContainText('결제가 완료되었습니다');
});

test('a virtual account order is paid when the deposit arrives', async ({ page, request }) => {
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await freshCart(page);
  await page.getByTestId('to-checkout').click();
  await page.getByLabel('사용할 포인트').fill('0');
  await page.getByLabel('가상계좌').check();
  await page.getByRole('button', { name: '결제하기' }).click();
  await page.getByRole('button', { name: '결제하기' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('입금을 기다리고 있습니다');
  await expect(page.getByTestId('va-account')).toHaveText(/\d{10,}/);
  const checkout = new URL(page.url()).searchParams.get('orderId')!;
  await page.getByTestId('payment-result').getByRole('link').first().click();
  await expect(page.getByTestId('order-status')).toHaveText('입금 대기');

  // The bank tells the gateway; the gateway tells us (webhook).
  const res = await request.post(`${PG_URL}/control/deposit/${checkout}`);
  expect(res.status()).toBe(204);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('order-status')).toHaveText('결제 완료', { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
});
