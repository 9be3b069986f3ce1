import { test, expect, Page } from '@playwright/test';
import { logIn, PNG, transparentPng } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';

/** Waits until the image has actually loaded (decoded with a size), not just been rendered. */
async function imageLoaded(page: Page, selector: string) {
  await expect
    .poll(() =>
      page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    )
    .toBe(true);
}

test('demo products show their pictures on cards and in the gallery', async ({ page }) => {
  // Fruit: no other test adds products there.
  await page.goto('/shop/c/fruit-apples');
  const thumb = page.getByTestId('product-card').first().locator('img.product-thumb');
  await expect(thumb).toHaveAttribute('src', /^\/media\/product\/.+_thumb\.jpg$/);
  await imageLoaded(page, '[data-testid=product-card] img.product-thumb');
  await page.getByTestId('product-card').first().getByRole('link').click();
  const main = page.getByTestId('gallery-main');
  await expect(main).toHaveAttribute('src', /^\/media\/product\/.+\.jpg$/);
  await imageLoaded(page, '[data-testid=gallery-main]');
});

test('a seller edits a product: details, images, variants, and deletion', async ({ page }, info) => {
  const name = `편집 테스트 셔츠 ${info.project.name} ${Date.now()}`;
  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/seller/products');
  await page.getByLabel('상품명').fill(name);
  await page.getByLabel('판매가 (원)').fill('15,000');
  await page.getByLabel('카테고리').selectOption({ label: '패션 > 남성의류 > 셔츠' });
  await page.getByLabel('옵션 1 이름').fill('사이즈');
  await page.getByLabel('옵션 1 값').fill('M, L');
  await page.getByRole('button', { name: '상품 만들기' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);

  // Details: a new price and a second category.
  await page.getByLabel('판매가 (원)').fill('16,500');
  await page.locator('#category2').selectOption({ label: '패션 > 남성의류 > 바지' });
  await page.getByRole('button', { name: '저장', exact: true }).first().click();
  await expect(page.getByTestId('notice')).toHaveText('저장되었습니다.');
  // Variant prices follow the new base price.
  await expect(page.getByTestId('variant-row').first()).toContainText('₩16,500');
  await expect(page.locator('#category2 option:checked')).toHaveText('패션 > 남성의류 > 바지');

  // Images: a wrong file is refused with the reason; a PNG becomes the primary image.
  await page.getByLabel('이미지 파일').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await page.getByRole('button', { name: '올리기' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'JPEG, PNG, WebP, GIF 이미지만' })).toBeVisible();
  await expect(page.getByTestId('seller-image')).toHaveCount(0);
  await page.getByLabel('이미지 파일').setInputFiles({ name: 'shirt.png', mimeType: 'image/png', buffer: PNG });
  await page.getByLabel('이미지 설명 (대체 텍스트)').fill('흰 셔츠');
  await page.getByRole('button', { name: '올리기' }).click();
  await expect(page.getByText('이미지를 올렸습니다.')).toBeVisible();
  await expect(page.getByTestId('seller-image')).toHaveCount(1);
  await expect(page.getByTestId('seller-image')).toContainText('대표');
  await imageLoaded(page, '[data-testid=seller-image] img');

  // Variants: a new size adds a variant; an adjustment changes its price.
  await page.getByLabel('사이즈에 추가할 값').fill('XL');
  await page.getByRole('button', { name: '값 추가' }).click();
  const rows = page.getByTestId('variant-row');
  await expect(rows).toHaveCount(3);
  const xl = rows.filter({ hasText: 'XL' });
  await xl.getByLabel('추가 금액').fill('2000');
  await xl.getByRole('button', { name: '저장' }).click();
  await expect(page.getByTestId('variant-row').filter({ hasText: 'XL' })).toContainText('₩18,500');

  // Deleting needs the confirmation box.
  await page.getByRole('button', { name: '상품 삭제' }).click();
  await expect(page.getByText('삭제하려면 확인란을 선택해 주세요.')).toBeVisible();
  await page.getByLabel('이 상품을 삭제합니다').check();
  await page.getByRole('button', { name: '상품 삭제' }).click();
  await expect(page).toHaveURL(/\/seller\/products$/);
  await expect(page.getByTestId('notice')).toHaveText('상품을 삭제했습니다.');
  await expect(page.getByTestId('seller-product').filter({ hasText: name })).toHaveCount(0);
});

test('a transparent picture gets a white thumbnail, not a black one', async ({ page }, info) => {
  const name = `투명 배경 머그 ${info.project.name} ${Date.now()}`;
  await logIn(page, 'seller@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/seller/products');
  await page.getByLabel('상품명').fill(name);
  await page.getByLabel('판매가 (원)').fill('9,900');
  await page.getByLabel('카테고리').selectOption({ label: '패션 > 남성의류 > 셔츠' });
  await page.getByRole('button', { name: '상품 만들기' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await page.getByLabel('이미지 파일').setInputFiles({ name: 'mug.png', mimeType: 'image/png', buffer: transparentPng(64) });
  await page.getByRole('button', { name: '올리기' }).click();
  await expect(page.getByTestId('notice')).toHaveText('이미지를 올렸습니다.');
  await imageLoaded(page, '[data-testid=seller-image] img');
  // The corner of the thumbnail, as the browser decoded it.
  const corner = await page.locator('[data-testid=seller-image] img').first().evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data);
  });
  expect(corner.slice(0, 3).every((c) => c >= 245)).toBe(true);
});
