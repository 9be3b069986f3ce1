import { test, expect } from '@playwright/test';
import { PNG, logIn, forgetSession } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

test('a shopper searches in Korean, filters, and opens a product', async ({ page }) => {
  await page.goto('/shop');
  const main = page.getByRole('main');
  await main.getByLabel('상품 검색', { exact: true }).fill('이어폰');
  await main.getByRole('button', { name: '검색' }).click();
  const cards = page.getByTestId('product-card');
  await expect(cards.first()).toBeVisible();
  const names = await cards.locator('.product-name').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n).toContain('이어폰');

  // Narrow by price and sort cheapest first.
  await page.getByLabel('최고가').fill('91000');
  await page.getByLabel('정렬').selectOption({ label: '낮은 가격순' });
  await main.getByRole('button', { name: '검색' }).click();
  await expect(page).toHaveURL(/max_price=91000/);
  const prices = (await cards.locator('.product-price strong').allTextContents()).map((p) => Number(p.replace(/[^0-9]/g, '')));
  expect(prices.length).toBeGreaterThan(0);
  expect(prices.every((p) => p <= 91000)).toBe(true);
  expect([...prices].sort((a, b) => a - b)).toEqual(prices);

  // Open the first one: breadcrumbs, options and stock per variant.
  const first = names.length ? (await cards.first().locator('.product-name').textContent())! : '';
  await cards.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first);
  await expect(page.getByRole('navigation', { name: '현재 위치' })).toContainText('무선 이어폰');
  await expect(page.getByTestId('variant').first()).toContainText(/재고 \d+개|품절/);
});

test('a category page lists its subtree with breadcrumbs and pages on', async ({ page }) => {
  await page.goto('/shop/c/fashion');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('패션');
  await expect(page.getByTestId('product-card')).toHaveCount(24);
  await page.getByRole('link', { name: '다음 페이지' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
});

test('a seller lists a product with two options, an admin approves it, and it is in the store', async ({ page }, info) => {
  const name = `테스트 린넨 셔츠 ${info.project.name} ${Date.now()}`;
  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/seller/products');
  await page.getByLabel('상품명').fill(name);
  await page.getByLabel('판매가 (원)').fill('15,000');
  await page.getByLabel('카테고리').selectOption({ label: '패션 > 남성의류 > 셔츠' });
  await page.getByLabel('옵션 1 이름').fill('색상');
  await page.getByLabel('옵션 1 값').fill('빨강, 파랑');
  await page.getByLabel('옵션 2 이름').fill('사이즈');
  await page.getByLabel('옵션 2 값').fill('M, L');
  await page.getByLabel('옵션별 초기 재고').fill('7');
  // A double click still makes one product, and the seller is taken to it with a confirmation.
  await page.getByRole('button', { name: '상품 만들기' }).dblclick();
  await expect(page).toHaveURL(/\/seller\/products\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('notice')).toHaveText('상품을 만들었습니다. 사진과 옵션을 확인한 뒤 심사를 요청하세요.');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await page.goto('/seller/products');
  const row = page.getByTestId('seller-product').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('작성 중');
  // Review needs a picture: refused with the reason, then asked again after an upload.
  await row.getByRole('button', { name: '심사 요청' }).click();
  await expect(page.getByText('심사를 요청하려면 상품 이미지를 하나 이상 올려 주세요.')).toBeVisible();
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await page.getByTestId('seller-product').filter({ hasText: name }).getByRole('link', { name }).click();
  await page.getByLabel('이미지 파일').setInputFiles({ name: 'shirt.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: '올리기' }).click();
  await expect(page.getByText('이미지를 올렸습니다.')).toBeVisible();
  await page.goto('/seller/products');
  await page.getByTestId('seller-product').filter({ hasText: name }).getByRole('button', { name: '심사 요청' }).click();
  await expect(page.getByTestId('seller-product').filter({ hasText: name })).toContainText('심사 중');
  await expect(page.getByTestId('notice')).toHaveText('심사를 요청했습니다.');

  // Not in the store yet (a search may show similar names, never this one).
  await forgetSession(page);
  await page.goto(`/shop?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId('shop-heading')).toContainText('검색 결과');
  await expect(page.getByTestId('product-card').filter({ hasText: name })).toHaveCount(0);

  await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin/products');
  const pending = page.getByTestId('pending-product').filter({ hasText: name });
  // A rejection needs a reason: spaces are refused on this row's own field.
  await pending.getByLabel('사유').fill('   ');
  await pending.getByRole('button', { name: '반려' }).click();
  const refused = page.getByTestId('pending-product').filter({ hasText: name });
  await expect(refused.getByLabel('사유')).toHaveAttribute('aria-invalid', 'true');
  await expect(refused.getByText('필수 항목입니다.')).toBeVisible();
  await refused.getByRole('button', { name: '승인' }).click();
  await expect(page.getByTestId('pending-product').filter({ hasText: name })).toHaveCount(0);

  // A shopper finds it, with four variants of seven each.
  await forgetSession(page);
  await page.goto(`/shop?q=${encodeURIComponent(name)}`);
  await page.getByTestId('product-card').filter({ hasText: name }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('price')).toHaveText('₩15,000');
  const variants = page.getByTestId('variant');
  await expect(variants).toHaveCount(4);
  for (let i = 0; i < 4; i++) await expect(variants.nth(i)).toContainText('재고 7개');
  await expect(variants.filter({ hasText: '파랑 / L' })).toHaveCount(1);
});

test('the home page shows shelves and remembers what a signed-in shopper viewed', async ({ page }, info) => {
  const { signUp, uniqueEmail } = await import('./helpers');
  await page.goto('/');
  await expect(page.getByTestId('shelf-popular').getByTestId('product-card').first()).toBeVisible();
  await expect(page.getByTestId('shelf-new').getByTestId('product-card')).toHaveCount(8);
  await expect(page.getByTestId('shelf-recent')).toHaveCount(0);

  await signUp(page, uniqueEmail(info, 'viewer'), '구경꾼');
  await page.goto('/shop/c/fruit-apples');
  const card = page.getByTestId('product-card').first();
  const name = (await card.locator('.product-name').textContent())!;
  await card.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.goto('/');
  await expect(page.getByTestId('shelf-recent')).toContainText(name);
});

test('a seller receives stock and sees the movement', async ({ page }) => {
  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/seller');
  // Low-stock alerts on the console home (demo SKUs include some at or under the threshold).
  await expect(page.getByTestId('low-stock')).toContainText('재고 부족 알림');
  // Each low-stock SKU links to its own stock page.
  await expect(page.getByTestId('low-stock').locator('li a').first()).toHaveAttribute('href', /^\/seller\/inventory\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('link', { name: '재고 관리' }).first()).toBeVisible();
  await page.goto('/seller/inventory');
  const row = page.getByTestId('sku-row').first();
  const before = Number(await row.getByTestId('stock').textContent());
  await row.getByLabel('수량').fill('5');
  await row.getByLabel('참조').fill('PO-E2E');
  await row.getByRole('button', { name: '입고' }).click();
  await expect(page.getByTestId('sku-row').first().getByTestId('stock')).toHaveText(String(before + 5));
  await page.getByTestId('sku-row').first().getByRole('link').click();
  const latest = page.getByTestId('movement').first();
  // Kinds are words in the reader's language, and times are Seoul's.
  await expect(latest).toContainText('입고');
  await expect(latest).toContainText(`${before} → ${before + 5}`);
  await expect(latest).toContainText('PO-E2E');
});

test('an admin adds a category and it appears in the store', async ({ page }, info) => {
  const slug = `e2e-${info.project.name}-${Date.now()}`;
  await logIn(page, 'admin@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin/categories');
  const form = page.getByRole('region', { name: '카테고리 추가' });
  await form.getByLabel('상위 카테고리').selectOption({ label: '패션' });
  await form.getByLabel('이름 (한국어)').fill('신상 모음');
  await form.getByLabel('이름 (영어)').fill('New In');
  await form.getByLabel('주소용 이름 (slug)').fill(slug);
  await form.getByRole('button', { name: '카테고리 추가' }).click();
  await expect(page.getByTestId('category-row').filter({ hasText: slug })).toBeVisible();
  // A bad slug is explained.
  await form.getByLabel('이름 (한국어)').fill('잘못된');
  await form.getByLabel('이름 (영어)').fill('Bad');
  await form.getByLabel('주소용 이름 (slug)').fill('Has Space');
  await form.getByRole('button', { name: '카테고리 추가' }).click();
  await expect(page.getByText('주소용 이름은 영문 소문자, 숫자, - 만 쓸 수 있습니다.')).toBeVisible();

  await page.goto(`/shop/c/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('신상 모음');
  await expect(page.getByRole('navigation', { name: '현재 위치' })).toContainText('패션');
});

test('a refused stock change says why on its own row', async ({ page }) => {
  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/seller/inventory');
  const rows = page.getByTestId('sku-row');
  const second = rows.nth(1);
  const stock = Number(await second.getByTestId('stock').textContent());
  // Taking away more than is on hand: refused, with the reason on this row only.
  await second.getByLabel('증감').fill(String(-(stock + 1)));
  await second.getByLabel('사유').fill('파손');
  await second.getByRole('button', { name: '조정' }).click();
  await expect(rows.nth(1).getByRole('alert')).toContainText('예약된 수량보다 적게 조정할 수 없습니다.');
  await expect(rows.first().getByRole('alert')).toHaveCount(0);
  await expect(rows.nth(1).getByTestId('stock')).toHaveText(String(stock));
});

test('on a phone the shop puts search and products first, two to a row, with the categories folded', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/shop/c/fashion');
  const search = (await page.getByRole('main').getByLabel('상품 검색', { exact: true }).boundingBox())!;
  const cards = page.getByTestId('product-card');
  const first = (await cards.first().boundingBox())!;
  const second = (await cards.nth(1).boundingBox())!;
  expect(search.y).toBeLessThan(first.y);
  // The first row of products starts on the first screen.
  expect(first.y).toBeLessThan(844);
  expect(Math.abs(second.y - first.y)).toBeLessThan(2);
  expect(second.x).toBeGreaterThan(first.x + first.width / 2);
  // The tree opens on demand (a disclosure, so without JavaScript too).
  const tree = page.getByRole('complementary');
  const men = tree.getByRole('link', { name: '남성의류', exact: true });
  await expect(men).toBeHidden();
  await tree.getByText('카테고리 펼치기').click();
  await expect(men).toBeVisible();
  // On a wide screen it is simply there.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/shop/c/fashion');
  await expect(page.getByRole('complementary').getByRole('link', { name: '남성의류', exact: true })).toBeVisible();
});
