import { test, expect } from '@playwright/test';
import { logIn, signUp, uniqueEmail, forgetSession } from './helpers';

/** A valid business number: 9 random digits plus the check digit. */
function businessNumber(): string {
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
  let sum = d.reduce((acc, x, i) => acc + x * w[i], 0);
  sum += Math.floor((d[8] * 5) / 10);
  return d.join('') + String((10 - (sum % 10)) % 10);
}

test('a shopper applies to sell and an admin approves', async ({ page }, info) => {
  const email = uniqueEmail(info, 'seller');
  await signUp(page, email, '박사장');
  await page.goto('/seller');
  await page.getByLabel('상호').fill('봄날상회');
  // A wrong check digit is caught, and the typed values stay.
  await page.getByLabel('사업자등록번호').fill('124-81-00997');
  await page.getByLabel('대표자명').fill('박사장');
  await page.getByLabel('사업장 전화번호').fill('02-123-4567');
  await page.getByLabel('사업장 주소').fill('서울특별시 마포구 월드컵북로 396');
  await page.getByLabel('은행').fill('국민은행');
  await page.getByLabel('예금주').fill('박사장');
  await page.getByLabel('계좌번호').fill('123-456-789012');
  await page.getByRole('button', { name: '신청하기' }).click();
  await expect(page.getByText('사업자등록번호가 올바르지 않습니다.')).toBeVisible();
  await expect(page.getByLabel('상호')).toHaveValue('봄날상회');

  const number = businessNumber();
  await page.getByLabel('사업자등록번호').fill(number);
  await page.getByLabel('계좌번호').fill('123-456-789012');
  await page.getByRole('button', { name: '신청하기' }).click();
  await expect(page.getByTestId('seller-status')).toHaveText('심사 중');
  await expect(page.getByTestId('notice')).toContainText('판매자 신청을 접수했습니다.');

  // The admin approves it from the queue.
  await forgetSession(page);
  await logIn(page, 'admin@jangteo.test', process.env.DEMO_PASSWORD || 'jangteo-demo');
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin/sellers?status=pending');
  const card = page.getByTestId('seller-application').filter({ hasText: email });
  await expect(card).toBeVisible();
  // A bad commission is refused on this row's own field, with what was typed kept.
  await card.getByLabel('수수료율').fill('150');
  await card.getByRole('button', { name: '승인' }).click();
  const again = page.getByTestId('seller-application').filter({ hasText: email });
  await expect(again.getByLabel('수수료율')).toHaveAttribute('aria-invalid', 'true');
  await expect(again.getByLabel('수수료율')).toHaveValue('150');
  await expect(again.getByText('0에서 100 사이의 숫자를 입력해 주세요.')).toBeVisible();
  await again.getByLabel('수수료율').fill('');
  await again.getByRole('button', { name: '승인' }).click();
  await expect(page.getByTestId('notice')).toHaveText('판매자를 승인했습니다.');
  await expect(page.getByTestId('seller-application').filter({ hasText: email })).toHaveCount(0);

  // The applicant is now a seller with the default commission.
  await forgetSession(page);
  await logIn(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/seller');
  await expect(page.getByTestId('seller-status')).toHaveText('승인됨');
  await expect(page.getByText('10.00%')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '판매자 센터' })).toBeVisible();
});
