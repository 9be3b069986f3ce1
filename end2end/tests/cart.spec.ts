import { test, expect } from '@playwright/test';
import { chooseOptions, openBuyableProduct, signUp, uniqueEmail, logIn } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

test('a guest fills a cart, signs up, and finds it merged', async ({ page }, info) => {
  const name = await openBuyableProduct(page, '/shop/c/fashion');
  // One control per option, and the folded stock list instead of a row per variant.
  await expect(page.getByTestId('buy-box').locator('select').first()).toBeVisible();
  await expect(page.getByText('옵션별 재고')).toBeVisible();
  await chooseOptions(page);
  await page.getByTestId('buy-box').getByLabel('수량').fill('2');
  await page.getByRole('button', { name: '장바구니', exact: true }).click();

  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('status').filter({ hasText: '장바구니에 담았습니다.' })).toBeVisible();
  const line = page.getByTestId('cart-line').filter({ hasText: name });
  await expect(line).toHaveCount(1);
  await expect(line.getByLabel('수량')).toHaveValue('2');
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await expect(page.getByTestId('group-shipping')).toContainText('배송비');

  await signUp(page, uniqueEmail(info, 'cart'), '장바구니');
  await page.goto('/cart');
  const merged = page.getByTestId('cart-line').filter({ hasText: name });
  await expect(merged.getByLabel('수량')).toHaveValue('2');

  // Change the quantity, then remove the line.
  const unit = Number((await merged.locator('.cart-line-price strong').textContent())!.replace(/[^0-9]/g, ''));
  await merged.getByLabel('수량').fill('3');
  await merged.getByRole('button', { name: '변경' }).click();
  await expect(page.getByTestId('cart-line').filter({ hasText: name }).locator('.line-total')).toHaveText(
    `₩${(unit * 3).toLocaleString('en-US')}`,
  );
  await page.getByTestId('cart-line').filter({ hasText: name }).getByRole('button', { name: /삭제/ }).click();
  await expect(page.getByTestId('cart-empty')).toBeVisible();
  await expect(page.getByTestId('cart-count')).toHaveText('0');
});

test('more than is in stock is refused on the quantity, and nothing is added', async ({ page }) => {
  await openBuyableProduct(page, '/shop/c/fashion');
  await chooseOptions(page);
  await page.getByTestId('buy-box').getByLabel('수량').fill('1000');
  await page.getByRole('button', { name: '장바구니', exact: true }).click();
  await expect(page.getByTestId('buy-box').getByRole('alert').filter({ hasText: '999개까지' })).toBeVisible();
  await expect(page.getByTestId('cart-count')).toHaveText('0');
});

test('a shopper keeps a product in the wishlist and sees the points balance', async ({ page }) => {
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  const name = await openBuyableProduct(page, '/shop/c/fashion');
  const heart = page.getByTestId('wish-button');
  if ((await heart.getAttribute('aria-pressed')) === 'true') {
    await heart.click();
    await expect(page.getByTestId('wish-button')).toHaveAttribute('aria-pressed', 'false');
  }
  const before = Number(await page.getByTestId('wish-count').textContent());
  await page.getByTestId('wish-button').click();
  await expect(page.getByTestId('wish-button')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('wish-count')).toHaveText(String(before + 1));
  await page.goto('/account/wishlist');
  await expect(page.getByTestId('wish-item').filter({ hasText: name })).toHaveCount(1);

  await page.goto('/account/points');
  await expect(page.getByTestId('balance')).toHaveText(/₩[\d,]+/);
  await expect(page.getByTestId('ledger-row').filter({ hasText: '가입 축하 포인트' })).toHaveCount(1);
});

test('the header searches from any page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('search').getByLabel('전체 상품 검색').fill('이어폰');
  await page.getByRole('search').getByRole('button', { name: '검색' }).click();
  await expect(page).toHaveURL(/\/shop\?q=/);
  const names = await page.getByTestId('product-card').locator('.product-name').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n).toContain('이어폰');
});

test('a heart on a listing card keeps the product, and shows kept on the next visit', async ({ page }, info) => {
  await signUp(page, uniqueEmail(info, 'card-heart'), '하트');
  await page.goto('/shop/c/fashion');
  const card = page.getByTestId('product-card').nth(1);
  const name = (await card.locator('.product-name').textContent())!;
  await expect(card.getByTestId('card-heart')).toHaveAttribute('aria-pressed', 'false');
  await card.getByRole('button', { name: `찜하기: ${name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: '찜한 상품에 담았습니다.' })).toBeVisible();
  await expect(page).toHaveURL(/\/shop\/c\/fashion\??$/);
  const kept = page.getByTestId('product-card').filter({ hasText: name });
  await expect(kept.getByTestId('card-heart')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('card-heart').and(page.locator('[aria-pressed="true"]'))).toHaveCount(1);
  await page.goto('/account/wishlist');
  await expect(page.getByTestId('wish-item').filter({ hasText: name })).toHaveCount(1);
  // The full heart takes it out again.
  await page.goto('/shop/c/fashion');
  await page.getByTestId('product-card').filter({ hasText: name }).getByRole('button', { name: `찜 해제: ${name}` }).click();
  await expect(page.getByTestId('product-card').filter({ hasText: name }).getByTestId('card-heart')).toHaveAttribute('aria-pressed', 'false');
});

test('a shopper buys points by card on the gateway page', async ({ page }, info) => {
  await signUp(page, uniqueEmail(info, 'charge'), '충전');
  await page.goto('/account/points');
  await expect(page.getByTestId('balance')).toHaveText('₩0');
  await page.getByLabel('충전할 금액').fill('500');
  await page.getByRole('button', { name: '카드로 충전하기' }).click();
  await expect(page.getByText('1,000원 이상부터 충전할 수 있습니다.')).toBeVisible();
  await page.getByLabel('충전할 금액').fill('30,000');
  await page.getByRole('button', { name: '카드로 충전하기' }).click();
  // The gateway's own card page.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('장터페이');
  await expect(page.getByTestId('pg-amount')).toHaveText('₩30,000');
  await page.getByRole('button', { name: '결제하기' }).click();
  await expect(page).toHaveURL(/\/account\/points\/charge\/success\?paymentKey=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('포인트를 충전했습니다');
  await page.getByTestId('payment-result').getByRole('link', { name: '포인트' }).click();
  await expect(page.getByTestId('balance')).toHaveText('₩30,000');
  await expect(page.getByTestId('ledger-row').filter({ hasText: '충전' })).toHaveCount(1);
});
