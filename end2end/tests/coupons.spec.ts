import { test, expect } from '@playwright/test';
import { signUp, uniqueEmail } from './helpers';

test('a shopper claims a first-come coupon once and finds it in my coupons', async ({ page }, info) => {
  await signUp(page, uniqueEmail(info, 'coupon'), '쿠폰러');
  await page.goto('/coupons');
  const card = page.getByTestId('coupon').filter({ hasText: '선착순 100명' });
  await expect(card).toContainText('남음');
  await card.getByRole('button', { name: '쿠폰 받기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '쿠폰을 받았습니다.' })).toBeVisible();
  await expect(page.getByTestId('coupon').filter({ hasText: '선착순 100명' })).toContainText('받은 쿠폰');

  await page.goto('/account/coupons');
  await expect(page.getByTestId('my-coupons-available').getByTestId('coupon')).toContainText('선착순 100명');
  await expect(page.getByTestId('my-coupons-used').getByTestId('coupon')).toHaveCount(0);
});

test('a claimed coupon takes its discount at checkout and is used once paid', async ({ page }, info) => {
  await signUp(page, uniqueEmail(info, 'coupon-use'), '할인러');
  await page.goto('/account/addresses');
  await page.getByLabel('받는 분').fill('할인러');
  await page.getByLabel('연락처').fill('010-2222-3333');
  await page.getByLabel('우편번호').fill('04524');
  await page.getByLabel('주소', { exact: true }).fill('서울특별시 중구 세종대로 110');
  await page.getByRole('button', { name: '배송지 추가' }).click();
  await expect(page.getByRole('status').filter({ hasText: '배송지를 추가했습니다.' })).toBeVisible();

  await page.goto('/coupons');
  await page.getByTestId('coupon').filter({ hasText: '전 상품 10%' }).getByRole('button', { name: '쿠폰 받기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '쿠폰을 받았습니다.' })).toBeVisible();

  await page.goto('/shop/c/fashion');
  const hrefs = await page.getByTestId('product-card').getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  for (const href of hrefs) {
    await page.goto(href);
    if (await page.getByRole('button', { name: '장바구니', exact: true }).count()) break;
  }
  const selects = page.getByTestId('buy-box').locator('select');
  for (let i = 0; i < (await selects.count()); i++) {
    const value = await selects.nth(i).locator('option:not([disabled])').nth(1).getAttribute('value');
    await selects.nth(i).selectOption(value!);
  }
  await page.getByRole('button', { name: '바로 구매' }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  const coupons = page.getByTestId('checkout-coupons');
  await expect(coupons).toContainText('전 상품 10%');
  await coupons.getByLabel(/전 상품 10%/).check();
  await page.getByLabel('신용/체크카드').check();
  await page.getByRole('button', { name: '결제하기' }).click();
  await page.getByRole('button', { name: '결제하기' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('결제가 완료되었습니다');
  await page.getByTestId('payment-result').getByRole('link').first().click();
  await expect(page.getByTestId('order-status')).toHaveText('결제 완료');
  await expect(page.getByText('할인', { exact: true })).toBeVisible();

  await page.goto('/account/coupons');
  await expect(page.getByTestId('my-coupons-used').getByTestId('coupon')).toContainText('전 상품 10%');
});
