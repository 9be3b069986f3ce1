import { test, expect } from '@playwright/test';
import { chooseOptions, openBuyableProduct, signUp, uniqueEmail, logIn } from './helpers';

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

  await openBuyableProduct(page, '/shop/c/fashion');
  await chooseOptions(page);
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

test('an admin makes a category coupon, a seller a shop coupon, and a shopper claims one on a product page', async ({ page }, info) => {
  const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';
  const tag = `${info.project.name.replace(/\W/g, '').toUpperCase()}-${Date.now().toString(36).toUpperCase()}`;
  const name = `패션 3천원 ${tag}`;
  await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
  await page.goto('/admin/coupons');
  const form = page.getByTestId('coupon-form');
  await form.getByLabel('쿠폰 코드').fill(`F${tag}`);
  await form.getByLabel('쿠폰 이름').fill(name);
  await form.getByLabel('정액 (원)').check();
  // A bad value is named on its field and what was typed stays.
  await form.getByLabel('할인 값').fill('0');
  await form.getByLabel('적용 대상').selectOption({ label: '패션' });
  await form.getByRole('button', { name: '쿠폰 만들기' }).click();
  await expect(page.getByTestId('coupon-form').getByText('0보다 큰 금액을 입력해 주세요.')).toBeVisible();
  await expect(page.getByTestId('coupon-form').getByLabel('쿠폰 이름')).toHaveValue(name);
  await page.getByTestId('coupon-form').getByLabel('할인 값').fill('3000');
  await page.getByTestId('coupon-form').getByLabel('발급 수량').fill('50');
  await page.getByTestId('coupon-form').getByRole('button', { name: '쿠폰 만들기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '쿠폰을 만들었습니다.' })).toBeVisible();
  await expect(page.getByTestId('made-coupons')).toContainText(name);
  await expect(page.getByTestId('made-coupons').getByRole('row').filter({ hasText: name })).toContainText('0 / 50');

  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await page.goto('/seller/coupons');
  const shop = page.getByTestId('coupon-form');
  await shop.getByLabel('쿠폰 코드').fill(`S${tag}`);
  await shop.getByLabel('쿠폰 이름').fill(`상점 5% ${tag}`);
  await shop.getByLabel('할인 값').fill('5');
  await expect(shop.getByLabel('적용 대상')).toHaveValue('all');
  await shop.getByRole('button', { name: '쿠폰 만들기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '쿠폰을 만들었습니다.' })).toBeVisible();
  const row = page.getByTestId('made-coupons').getByRole('row').filter({ hasText: `상점 5% ${tag}` });
  await expect(row).toContainText('내 상점 전체');
  await expect(page.getByTestId('made-coupons')).not.toContainText(name);

  await signUp(page, uniqueEmail(info, 'claim-on-product'), '상품쿠폰');
  await page.goto('/shop/c/fashion');
  await page.getByTestId('product-card').first().getByRole('link').first().click();
  const offered = page.getByTestId('product-coupons').getByRole('listitem').filter({ hasText: name });
  await offered.getByRole('button', { name: '쿠폰 받기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '쿠폰을 받았습니다.' })).toBeVisible();
  await expect(page.getByTestId('product-coupons').getByRole('listitem').filter({ hasText: name })).toContainText('받은 쿠폰');
  await page.goto('/account/coupons');
  await expect(page.getByTestId('my-coupons-available')).toContainText(name);
});
