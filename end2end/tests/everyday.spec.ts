import { test, expect } from '@playwright/test';
import { logIn, signUp, uniqueEmail, PASSWORD, forgetSession } from './helpers';

const NEW_PASSWORD = 'autumn market 2027';

test('edit the profile, change the password and sign out the other device', async ({ page, browser }, info) => {
  const email = uniqueEmail(info, 'settings');
  await signUp(page, email, '김설정');

  // The phone shows on the account page once it is set.
  await page.getByRole('link', { name: '프로필 수정' }).click();
  await expect(page).toHaveURL(/\/account\/profile$/);
  await page.getByLabel('이름').fill('김바뀜');
  await page.getByLabel('휴대폰 번호').fill('01077778888');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('notice')).toHaveText('프로필을 저장했습니다.');
  await expect(page.getByTestId('profile-name')).toHaveText('김바뀜');
  await expect(page.getByTestId('profile-phone')).toHaveText('010-7777-8888');

  // Another device is signed in.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await logIn(phone, email);
  await expect(phone).toHaveURL(/\/account$/);

  // A wrong current password is refused next to its field; nothing changes.
  await page.goto('/account/password');
  await page.getByLabel('현재 비밀번호').fill('not my password');
  await page.getByLabel('새 비밀번호').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '비밀번호 변경' }).click();
  await expect(page.getByText('비밀번호가 맞지 않습니다.')).toBeVisible();

  await page.getByLabel('현재 비밀번호').fill(PASSWORD);
  await page.getByLabel('새 비밀번호').fill(NEW_PASSWORD);
  await expect(page.getByLabel('다른 모든 기기에서 로그아웃')).toBeChecked();
  await page.getByRole('button', { name: '비밀번호 변경' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('notice')).toHaveText(
    '비밀번호를 변경하고 다른 기기에서 모두 로그아웃했습니다.',
  );
  // This device stays; the other is out.
  await expect(page.locator('.session')).toHaveCount(1);
  await phone.goto('/account');
  await expect(phone).toHaveURL(/\/login\?next=\/account$/);
  await other.close();

  // The old password stops working; the new one works.
  await forgetSession(page);
  await logIn(page, email, PASSWORD);
  await expect(page.getByText('이메일 또는 비밀번호가 올바르지 않습니다.')).toBeVisible();
  await logIn(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
});

test('withdraw the account; the email can sign up again', async ({ page }, info) => {
  const email = uniqueEmail(info, 'leave');
  await signUp(page, email, '이탈퇴');
  await page.getByTestId('withdraw-link').click();
  await expect(page).toHaveURL(/\/account\/withdraw$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('회원탈퇴');

  // Without the reason and the tick, nothing happens and each field says why.
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '탈퇴하기' }).click();
  await expect(page.getByText('탈퇴 사유를 선택해 주세요.')).toBeVisible();
  await expect(page.getByText('탈퇴 안내를 확인했다고 체크해 주세요.')).toBeVisible();

  await page.getByLabel('탈퇴 사유').selectOption('privacy');
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByLabel('위 내용을 확인했으며 탈퇴합니다.').check();
  await page.getByRole('button', { name: '탈퇴하기' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await expect(page.getByTestId('notice')).toContainText('탈퇴가 완료되었습니다.');
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account$/);

  // The old login is gone, and the email is free again.
  await logIn(page, email, PASSWORD);
  await expect(page.getByText('이메일 또는 비밀번호가 올바르지 않습니다.')).toBeVisible();
  await signUp(page, email, '이재가입');
});

test('search without spaces, narrow by a facet, and open the seller shop', async ({ page }) => {
  // "베이직머그컵" finds "베이직 머그컵 …", best match first, and says how many it found.
  await page.goto('/shop');
  const main = page.getByRole('main');
  await main.getByLabel('상품 검색', { exact: true }).fill('베이직머그컵');
  await main.getByRole('button', { name: '검색', exact: true }).click();
  await expect(page.getByTestId('shop-heading')).toHaveText(/^'베이직머그컵' 검색 결과 \d+개$/);
  const first = page.getByTestId('product-card').first();
  await expect(first.locator('.product-name')).toContainText('베이직 머그컵');

  // A facet value with its count; ticking it keeps only products that have it.
  const mint = page.getByRole('checkbox', { name: /^민트 \(\d+\)$/ });
  await expect(mint).toBeVisible();
  await mint.check();
  await main.getByRole('button', { name: '적용' }).click();
  await expect(page).toHaveURL(/opt=%EC%83%89%EC%83%81%3A%EB%AF%BC%ED%8A%B8/);
  await expect(page.getByRole('checkbox', { name: /^민트/ })).toBeChecked();
  await expect(page.getByTestId('product-card').first().locator('.product-name')).toContainText('머그컵');

  // A typo still finds the mugs.
  await page.goto('/shop?q=' + encodeURIComponent('베이직 머그켭'));
  await expect(page.getByTestId('product-card').first().locator('.product-name')).toContainText('베이직 머그컵');

  // The product page names its seller, linked to the seller's shop.
  await page.getByTestId('product-card').first().locator('a').first().click();
  await expect(page).toHaveURL(/\/p\//);
  const shopLink = page.getByTestId('seller-shop-link');
  const shopName = (await shopLink.textContent())!.trim();
  await shopLink.click();
  await expect(page).toHaveURL(/\/s\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('shop-heading')).toHaveText(shopName);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  for (const seller of await page.locator('.product-card .product-seller').allTextContents()) {
    expect(seller).toBe(shopName);
  }
});

test('the seller table pages, searches and filters over the whole catalogue', async ({ page }) => {
  await logIn(page, 'seller@jangteo.test', process.env.DEMO_PASSWORD || 'jangteo-demo');
  await page.goto('/seller/products');
  await expect(page.getByTestId('seller-product-count')).toHaveText(/^상품 (\d+)개$/);
  const total = Number((await page.getByTestId('seller-product-count').textContent())!.match(/\d+/)![0]);
  expect(total).toBeGreaterThan(200);
  await expect(page.getByTestId('seller-product')).toHaveCount(50);

  // The next pages walk on without repeating a row.
  const seen = new Set(await page.getByTestId('seller-product').locator('td:first-child a:first-child').allTextContents());
  await page.getByTestId('seller-next').click();
  await expect(page).toHaveURL(/cursor=/);
  for (const name of await page.getByTestId('seller-product').locator('td:first-child a:first-child').allTextContents()) {
    expect(seen.has(name)).toBe(false);
  }

  // Search by name, then filter by status.
  await page.goto('/seller/products');
  await page.getByLabel('이름 또는 SKU 코드로 찾기').fill('머그컵');
  await page.getByRole('button', { name: '적용' }).click();
  await expect(page).toHaveURL(/q=%EB%A8%B8%EA%B7%B8%EC%BB%B5/);
  const mugs = page.getByTestId('seller-product');
  await expect(mugs.first()).toContainText('머그컵');
  for (const row of await mugs.allTextContents()) expect(row).toContain('머그컵');
  await page.getByLabel('상태').selectOption('active');
  await page.getByRole('button', { name: '적용' }).click();
  await expect(page).toHaveURL(/status=active/);
  await expect(page.getByLabel('이름 또는 SKU 코드로 찾기')).toHaveValue('머그컵');
  for (const badge of await page.getByTestId('seller-product').locator('.badge').allTextContents()) {
    expect(badge).toBe('판매 중');
  }
});

test('a form post leaves a clean address, with no stray "?"', async ({ page }, info) => {
  await signUp(page, uniqueEmail(info, 'cleanurl'), '주소깔끔');
  await page.goto('/account/addresses');
  await page.getByLabel('받는 분').fill('주소깔끔');
  await page.getByLabel('연락처').fill('01012345678');
  await page.getByLabel('우편번호').fill('04524');
  await page.getByLabel('주소', { exact: true }).fill('서울특별시 중구 세종대로 110');
  await page.getByRole('button', { name: '배송지 추가' }).click();
  await expect(page.getByTestId('notice')).toHaveText('배송지를 추가했습니다.');
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/account/addresses');
  expect(page.url().endsWith('?')).toBe(false);
});

test('the bundle picker finds SKUs by a search, not a list of hundreds', async ({ page, javaScriptEnabled }) => {
  await logIn(page, 'seller@jangteo.test', process.env.DEMO_PASSWORD || 'jangteo-demo');
  await page.goto('/seller/products?q=' + encodeURIComponent('선물 세트'));
  await page.getByTestId('seller-product').first().locator('td:first-child a').first().click();
  await expect(page).toHaveURL(/\/seller\/products\/[0-9a-f-]{36}/);
  const choice = page.getByTestId('sku-choice').first();
  // At most a page of choices, never every SKU of the shop.
  expect(await choice.locator('option').count()).toBeLessThanOrEqual(21);
  if (javaScriptEnabled) {
    // Live, as the seller types.
    await page.getByTestId('sku-find').first().fill('머그');
  } else {
    // A search form that reloads the page with what it found.
    await page.getByLabel('SKU 검색 (코드 또는 이름)').fill('머그');
    await page.getByRole('main').getByRole('search').getByRole('button', { name: '검색' }).click();
    await expect(page).toHaveURL(/sku_q=%EB%A8%B8%EA%B7%B8/);
  }
  await expect(choice.locator('option').nth(1)).toContainText('머그');
  const labels = (await choice.locator('option').allTextContents()).slice(1);
  expect(labels.length).toBeGreaterThan(0);
  for (const label of labels) expect(label).toContain('머그');
});
