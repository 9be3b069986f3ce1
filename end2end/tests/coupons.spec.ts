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
