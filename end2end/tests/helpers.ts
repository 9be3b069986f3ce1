import { expect, Page, TestInfo } from '@playwright/test';

export const PASSWORD = 'spring market 2026';

/** A fresh address per test and project, so runs never collide. */
export function uniqueEmail(info: TestInfo, tag: string): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `e2e-${tag}-${info.project.name}-${Date.now()}-${rand}@example.com`;
}

export async function signUp(page: Page, email: string, name: string) {
  await page.goto('/signup');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByLabel('이름').fill(name);
  await page.getByRole('button', { name: '가입하기' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
}

/** Forgets the browser's session, as a new visitor. Every answer refreshes the session
 * cookie (inactivity expiry), so a request still in flight would put it back. */
export async function forgetSession(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.context().clearCookies();
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByRole('main').getByRole('button', { name: '로그인' }).click();
}

/** A valid 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A fully transparent `size`×`size` RGBA PNG, made here so the test needs no fixture file. */
export function transparentPng(size: number): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require('zlib');
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  // Each row: filter byte 0, then size pixels of (0, 0, 0, 0).
  const raw = Buffer.alloc((size * 4 + 1) * size);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Opens the first product of `listing` that can be put in the cart; returns its name. */
export async function openBuyableProduct(page: Page, listing: string): Promise<string> {
  await page.goto(listing);
  const hrefs = await page
    .getByTestId('product-card')
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  for (const href of hrefs) {
    await page.goto(href);
    if (await page.getByRole('button', { name: '장바구니', exact: true }).count()) {
      return (await page.getByRole('heading', { level: 1 }).textContent())!;
    }
  }
  throw new Error(`no product in stock at ${listing}`);
}

/** Picks the first value each option offers (a product's variants share their stock). */
export async function chooseOptions(page: Page) {
  const selects = page.getByTestId('buy-box').locator('select');
  for (let i = 0; i < (await selects.count()); i++) {
    const value = await selects.nth(i).locator('option:not([disabled])').nth(1).getAttribute('value');
    await selects.nth(i).selectOption(value!);
  }
}

/** Puts the cheapest product in stock of `listing` (sorted by price) into the cart, choosing
 * each option's first value; returns its name. */
export async function addCheapestToCart(page: Page, listing: string): Promise<string> {
  const name = await openBuyableProduct(page, `${listing}?sort=price_asc`);
  await chooseOptions(page);
  await page.getByRole('button', { name: '장바구니', exact: true }).click();
  await expect(page).toHaveURL(/\/cart$/);
  return name;
}
